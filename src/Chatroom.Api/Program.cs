using Chatroom.Api;
using Chatroom.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatApi();

app.Run();
