using Chatroom.ServiceDefaults;
using Chatroom.Web;
using Chatroom.Web.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatWeb();
builder.AddChatGateway();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatGateway();
app.MapChatWeb();

app.Run();
