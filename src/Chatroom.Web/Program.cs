using Chatroom.ServiceDefaults;
using Chatroom.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatWeb();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatWeb();

app.Run();
