using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reyn.Benchmarks.Index;

/// <summary>
/// Short in-process jobs for the index suites: the machine is shared (2 cores), so no per-run rebuild (it timed out) and
/// few iterations. Each operation is long (milliseconds to seconds), so few iterations still give stable medians.
/// </summary>
internal sealed class IndexBenchConfig : ManualConfig
{
    public IndexBenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Long"));
    }
}

/// <summary>The same for fast operations (recall): more iterations, BenchmarkDotNet picks the invocation count.</summary>
internal sealed class IndexFastBenchConfig : ManualConfig
{
    public IndexFastBenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("Short"));
    }
}
