using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

public sealed class TruncationTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-wal-truncate");

    private string WalPath => _dir.Combine("state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    private static async Task AppendKindsAsync(FileStateLog log, params string[] kinds)
    {
        foreach (var kind in kinds)
        {
            await log.AppendAsync(kind, Fields(("k", kind)));
        }
    }

    [Fact]
    public async Task TruncateBelowAsync_Floor_DropsOlderRecordsButKeepsNamedKinds()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        await AppendKindsAsync(log, WalKinds.InboxPut, WalKinds.TaskSubscribed, WalKinds.InboxPut, WalKinds.InboxConsume, WalKinds.InboxPut, WalKinds.InboxPut);

        var result = await log.TruncateBelowAsync(5, [WalKinds.TaskSubscribed]);

        result.Should().Be(new WalTruncationResult(Dropped: 3, Kept: 3, MinKeptSeq: 2, MaxKeptSeq: 6));
        (await ReadAllAsync(log)).Select(r => r.Seq).Should().Equal(2, 5, 6);
        File.Exists(WalPath + ".tmp").Should().BeFalse();
        (await log.AppendAsync(WalKinds.InboxPut, Fields())).Should().Be(7);
        (await ReadAllAsync(log)).Select(r => r.Seq).Should().Equal(2, 5, 6, 7);
    }

    [Fact]
    public async Task TruncateBelowAsync_FloorAboveHighest_KeepsHighestSoSeqSurvivesRestart()
    {
        await using (var log = FileStateLog.Open(Options(WalPath)))
        {
            await AppendKindsAsync(log, WalKinds.InboxPut, WalKinds.InboxPut, WalKinds.InboxPut);
            var result = await log.TruncateBelowAsync(100);
            result.Kept.Should().Be(1);
            result.MaxKeptSeq.Should().Be(3);
        }

        await using var reopened = FileStateLog.Open(Options(WalPath));
        (await reopened.AppendAsync(WalKinds.InboxPut, Fields())).Should().Be(4);
    }

    [Fact]
    public async Task TruncateBelowAsync_FloorOne_IsNoOp()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        await AppendKindsAsync(log, WalKinds.InboxPut, WalKinds.InboxPut);
        var before = File.ReadAllBytes(WalPath);
        (await log.TruncateBelowAsync(1)).Dropped.Should().Be(0);
        File.ReadAllBytes(WalPath).Should().Equal(before);
    }

    [Fact]
    public async Task Open_LeftoverTempFileFromCrashBeforeRename_OldLogIsIntact()
    {
        await WriteLogAsync(WalPath, 3);
        File.WriteAllText(WalPath + ".tmp", "{\"half written");
        await using var log = FileStateLog.Open(Options(WalPath));
        (await ReadAllAsync(log)).Should().HaveCount(3);
        (await log.TruncateBelowAsync(3)).Kept.Should().Be(1, "a new truncation overwrites the stale temp file");
    }

    [Fact]
    public async Task TruncateBelowAsync_WhileAppending_LosesNoAppendedRecord()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        await AppendKindsAsync(log, WalKinds.InboxPut, WalKinds.InboxPut);
        var appending = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
            }
        });
        await log.TruncateBelowAsync(2);
        await appending;
        var seqs = (await ReadAllAsync(log)).Select(r => r.Seq).ToList();
        seqs.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seqs.Last().Should().Be(202);
        seqs.Should().Contain(Enumerable.Range(3, 200).Select(i => (long)i), "records at or above the floor are all kept");
    }
}
