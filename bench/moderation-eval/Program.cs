using Chatroom.Moderation.Eval;

return await EvalCommand.RunAsync(args, Console.Out);
