using Chatroom.AppHost.Topology;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

var builder = DistributedApplication.CreateBuilder(args);

// The dashboard's own log lines (a request line every few seconds while a page is open) are written to this console
// under Aspire.Hosting.Dashboard.*, and pushed the login link off screen; its warnings and errors still show, and
// Logging__LogLevel__Aspire.Hosting.Dashboard=Information brings the rest back.
if (builder.Configuration["Logging:LogLevel:Aspire.Hosting.Dashboard"] is null)
{
    builder.Services.AddLogging(logging => logging.AddFilter("Aspire.Hosting.Dashboard", LogLevel.Warning));
}

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
