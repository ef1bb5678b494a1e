using BenchmarkDotNet.Running;

// Both cores: sign-ins per second of one API process on this machine, password hashing included.
BenchmarkSwitcher.FromAssembly(typeof(Chatroom.Accounts.Bench.SignInBenchmarks).Assembly).Run(args);
