using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reyn.Benchmarks.Runtime;

/// <summary>
/// A short in-process job (3 warmups, 15 iterations): the benchmarks share 2 cores with other builds, and the
/// out-of-process toolchain's project rebuild alone exceeds BenchmarkDotNet's 2-minute build timeout here.
/// </summary>
public sealed class InProcessShortConfig : ManualConfig
{
    public InProcessShortConfig()
    {
        AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(StatisticColumn.Median);
    }
}
