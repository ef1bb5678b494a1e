using Chatroom.Guardian.Eval;

return await GuardianEvalProgram.RunAsync(args, Console.Out);
