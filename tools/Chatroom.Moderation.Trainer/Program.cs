using Chatroom.Moderation.Trainer;

return TrainerCommand.Run(args, Console.Out);
