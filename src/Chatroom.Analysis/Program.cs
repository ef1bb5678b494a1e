using Chatroom.Analysis;
using Chatroom.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddChatAnalysis();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapChatAnalysis();

app.Run();
