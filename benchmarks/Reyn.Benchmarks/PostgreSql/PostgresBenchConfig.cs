using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>
/// Short in-process jobs for the PostgreSQL vs SQLite suites: the machine is shared (2 cores) and BenchmarkDotNet's
/// per-run rebuild of a boilerplate project did not finish within its build timeout there. The in-process toolchain
/// also lets the 1,000,000-event data set be built once per process (<see cref="PgVsSqliteDataset"/>).
/// </summary>
internal sealed class PostgresQueryBenchConfig : ManualConfig
{
    public PostgresQueryBenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithId("Short"));
        AddColumn(StatisticColumn.Median);
    }
}

/// <summary>Ingest: one invocation per iteration (each writes a batch of events into a fresh store), 1 warmup, 5 measured.</summary>
internal sealed class PostgresIngestBenchConfig : ManualConfig
{
    public PostgresIngestBenchConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
            .WithInvocationCount(1).WithUnrollFactor(1).WithId("Ingest"));
        AddColumn(StatisticColumn.Median);
    }
}
