using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reyn.Benchmarks.State;

/// <summary>
/// A short job (2 warmups, 5 measured iterations, one invocation each) run in-process: on a small shared machine the
/// generated boilerplate project cannot be built within BenchmarkDotNet's 2-minute limit.
/// </summary>
public sealed class StateBenchmarkConfig : ManualConfig
{
    public StateBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
