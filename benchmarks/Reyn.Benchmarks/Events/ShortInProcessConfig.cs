using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reyn.Benchmarks.Events;

/// <summary>
/// A short job run in-process: the machine is shared (2 cores), and a separate boilerplate build per run exceeded
/// BenchmarkDotNet's build timeout there. 2 warmup and 5 measured iterations.
/// </summary>
public sealed class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig()
    {
        AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }
}
