using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Quartz;
using Reyn.Scheduling;

namespace Reyn.Benchmarks.Scheduling;

/// <summary>
/// Next-occurrence computation: Reyn's <see cref="CronSchedule"/> (NCrontab + zone handling) against Quartz.NET's
/// <see cref="CronExpression"/>, the alternative a .NET user would pick. Each operation walks 100 consecutive
/// occurrences from 2026-01-01.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class NextOccurrenceBenchmarks
{
    /// <summary>2 warmups, 5 iterations, in process (no per-run build: the machine is shared).</summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private const int Steps = 100;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private CronSchedule _reyn = null!;
    private CronExpression _quartz = null!;
    private TimeZoneInfo _zone = null!;

    /// <summary>The schedule and zone.</summary>
    [Params("0 */6 * * *|UTC", "0 9 * * MON|UTC", "*/15 * * * *|America/New_York")]
    public string Case { get; set; } = "0 */6 * * *|UTC";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('|');
        _zone = TimeZoneInfo.FindSystemTimeZoneById(parts[1]);
        _reyn = CronSchedule.Parse(parts[0]);
        _quartz = new CronExpression(ToQuartz(parts[0]), _zone);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps, Description = "Quartz CronExpression")]
    public DateTimeOffset Quartz()
    {
        var cursor = Start;
        for (var i = 0; i < Steps; i++)
        {
            cursor = _quartz.GetNextValidTimeAfter(cursor)!.Value;
        }

        return cursor;
    }

    [Benchmark(OperationsPerInvoke = Steps, Description = "Reyn CronSchedule")]
    public DateTimeOffset Reyn()
    {
        var cursor = Start;
        for (var i = 0; i < Steps; i++)
        {
            cursor = _reyn.GetNextOccurrence(cursor, _zone)!.Value;
        }

        return cursor;
    }

    private static string ToQuartz(string cron)
    {
        var f = cron.Split(' ');
        var minute = f[0].StartsWith("*/", StringComparison.Ordinal) ? "0/" + f[0][2..] : f[0];
        var hour = f[1].StartsWith("*/", StringComparison.Ordinal) ? "0/" + f[1][2..] : f[1];
        return f[4] == "*" ? $"0 {minute} {hour} {f[2]} {f[3]} ?" : $"0 {minute} {hour} ? {f[3]} {f[4]}";
    }
}
