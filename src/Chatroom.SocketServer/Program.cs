using Chatroom.ServiceDefaults;
using Chatroom.SocketServer;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatSockets();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatSockets();

app.Run();
