using Reyn.State.Tests.Support;
using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

public sealed class FailingDiskTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-wal-disk");

    private string WalPath => _dir.Combine("state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    private (FileStateLog Log, FaultyWalFile File) OpenFaulty(DurabilityMode mode = DurabilityMode.Always)
    {
        FaultyWalFile? file = null;
        var options = Options(WalPath, mode);
        options.RetryBaseDelay = TimeSpan.Zero;
        options.RetryMaxDelay = TimeSpan.Zero;
        options.FileFactory = p => file = new FaultyWalFile(p);
        var log = FileStateLog.Open(options);
        return (log, file!);
    }

    [Fact]
    public async Task AppendAsync_FourTransientFailures_RetriedAndRecordIsDurable()
    {
        var (log, file) = OpenFaulty();
        await using (log)
        {
            await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 1)));
            file.FailuresLeft = 4;
            (await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 2)))).Should().Be(2);
            log.IsFailed.Should().BeFalse();
            (await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 3)))).Should().Be(3);
        }

        (await ReadFileAsync(WalPath)).Select(r => r.Int("i")).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task AppendAsync_PersistentFailure_LatchesFailedAndEveryLaterAppendThrows()
    {
        var (log, file) = OpenFaulty();
        await using (log)
        {
            await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 1)));
            file.FailuresLeft = int.MaxValue;
            var first = async () => await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 2)));
            (await first.Should().ThrowAsync<StateLogFailedException>()).Which.Message.Should().Contain("latched failed").And.Contain("5 times");
            log.IsFailed.Should().BeTrue();
            log.LastDurableSeq.Should().Be(1, "the failed record was never acknowledged");

            file.FailuresLeft = 0; // the disk recovers, but the latch stays
            var later = async () => await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 3)));
            await later.Should().ThrowAsync<StateLogFailedException>();
        }
    }

    [Fact]
    public async Task AppendAsync_SyncFailsInBatchedMode_UnsyncedBytesAreRewrittenBeforeRetry()
    {
        var (log, file) = OpenFaulty(DurabilityMode.Batched);
        await using (log)
        {
            for (var i = 1; i <= 3; i++)
            {
                await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
            }

            file.FailuresLeft = 2;
            await log.FlushAsync();
            log.LastDurableSeq.Should().Be(3);
        }

        (await ReadFileAsync(WalPath)).Select(r => r.Int("i")).Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 100)]
    [InlineData(3, 200)]
    [InlineData(4, 400)]
    [InlineData(6, 1600)]
    [InlineData(7, 2000)]
    [InlineData(30, 2000)]
    public void RetryDelay_Attempt_DoublesFrom50msCappedAt2s(int attempt, int expectedMs)
    {
        FileStateLog.RetryDelay(attempt, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public void Options_Defaults_AreFiveAttempts50msBase2sCap()
    {
        var options = new FileStateLogOptions();
        (options.RetryAttempts, options.RetryBaseDelay, options.RetryMaxDelay).Should().Be((5, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2)));
    }
}
