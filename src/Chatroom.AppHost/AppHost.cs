using Chatroom.AppHost.Topology;

var builder = DistributedApplication.CreateBuilder(args);

var settings = AppHostSettings.From(builder.Configuration);
var secrets = builder.AddChatSecrets();
var backends = builder.AddChatBackends(settings);

if (backends.Redis is null)
{
    builder.AddChatStandalone(backends, secrets);
}
else
{
    builder.AddChatServices(settings, backends, secrets);
}

builder.Build().Run();
