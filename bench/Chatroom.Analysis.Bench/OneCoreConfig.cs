using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Chatroom.Analysis.Bench;

/// <summary>In-process so the benchmarks run from any artifacts path; Program pins the process to CPU 0.</summary>
internal sealed class OneCoreConfig : ManualConfig
{
    public OneCoreConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("one-core"));
    }
}
