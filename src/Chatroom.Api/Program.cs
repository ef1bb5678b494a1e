using Chatroom.Accounts;
using Chatroom.Api;
using Chatroom.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatApi();

var app = builder.Build();

if (args.Contains(ChatAccountsExtensions.MigrateArgument))
{
    await app.Services.MigrateAccountsAsync();
    return;
}

app.MapDefaultEndpoints();
app.MapChatApi();

app.Run();
