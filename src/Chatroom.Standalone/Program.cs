using Chatroom.Standalone;

var builder = WebApplication.CreateBuilder(args);

builder.AddChatroomStandalone();

var app = builder.Build();

app.MapChatroomStandalone();

app.Run();
