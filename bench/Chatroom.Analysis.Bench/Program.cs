using System.Diagnostics;
using BenchmarkDotNet.Running;

// One core: the target (20,000 messages/s) is per core, and the machine is shared.
if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
{
    Process.GetCurrentProcess().ProcessorAffinity = 1;
}

BenchmarkSwitcher.FromAssembly(typeof(Chatroom.Analysis.Bench.EmbeddedTierBenchmarks).Assembly).Run(args);
