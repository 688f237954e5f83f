using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Runtime.Resume.Internal;
using Reyn.State;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Resume;

public sealed class WalTruncationPolicyTests
{
    [Fact]
    public void Floor_LiveRuns_IsMinimumWatermarkPlusOne_AndLongWaitersDoNotHoldItBack()
    {
        var time = new ManualTimeProvider();
        var policy = new WalTruncationPolicy(time, NullLogger.Instance);
        policy.Floor(100).Should().Be(101, "no live run: everything below the last durable seq may go");

        policy.Update("a", 40);
        policy.Update("b", 70);
        policy.Floor(100).Should().Be(41);

        policy.SetWaiting("a", time.GetUtcNow());
        time.Advance(TimeSpan.FromMinutes(4));
        policy.Floor(100).Should().Be(41, "a run waiting less than 5 minutes still holds the floor");
        time.Advance(TimeSpan.FromMinutes(1));
        policy.Floor(100).Should().Be(71, "a run waiting for a human for 5 minutes no longer holds it back");

        policy.Remove("b");
        policy.Floor(100).Should().Be(101);
    }

    [Fact]
    public async Task MaybeTruncateAsync_WithinInterval_WaitsUnlessTheLogIsOverTheSafetyNet()
    {
        using var dir = new TempDirectory("reyn-trunc");
        var time = new ManualTimeProvider();
        await using var log = FileStateLog.Open(new FileStateLogOptions { Path = dir.Combine("wal.jsonl"), Durability = DurabilityMode.None });
        var logger = new Support.ListLogger<WalTruncationPolicyTests>();
        var policy = new WalTruncationPolicy(time, logger);
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(WalKinds.StepCompleted, [new("run_id", "r"), new("i", i)]);
        }

        await log.FlushAsync();
        await policy.MaybeTruncateAsync(log, default);
        policy.Truncations.Should().Be(0, "the first interval starts with the runtime");
        time.Advance(TimeSpan.FromSeconds(5));
        await policy.MaybeTruncateAsync(log, default);
        logger.Warnings.Should().BeEmpty();
        policy.Truncations.Should().Be(1);
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync(WalKinds.StepCompleted, [new("run_id", "r"), new("i", i)]);
        }

        await log.FlushAsync();
        await policy.MaybeTruncateAsync(log, default);
        policy.Truncations.Should().Be(1, "at most one truncation every 5 s");
        time.Advance(TimeSpan.FromSeconds(5));
        await policy.MaybeTruncateAsync(log, default);
        policy.Truncations.Should().Be(2);

        var payload = new string('p', 64 * 1024);
        for (var i = 0; i < 20; i++)
        {
            await log.AppendAsync(WalKinds.StepCompleted, [new("run_id", "r"), new("payload", payload)]);
        }

        await log.FlushAsync();
        await policy.MaybeTruncateAsync(log, default);
        policy.Truncations.Should().Be(3, "a WAL over 1 MB is truncated at once");
        new FileInfo(log.Path).Length.Should().BeLessThan(WalTruncationPolicy.SizeSafetyNetBytes);
    }
}
