using Reyn.State.Tests.Support;
using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

public sealed class WalRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-wal-recovery");

    private string WalPath => _dir.Combine("state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_TornAtEveryByteOffsetOfLastTwoRecords_KeepsEveryEarlierRecordAndMovesTailAside()
    {
        await WriteLogAsync(WalPath, 6);
        var original = File.ReadAllBytes(WalPath);
        var starts = LineStarts(original); // 7 entries: 6 line starts + file end
        var fourthEnd = starts[4];

        for (var cut = fourthEnd; cut < original.Length; cut++)
        {
            File.WriteAllBytes(WalPath, original[..cut]);
            foreach (var aside in Directory.GetFiles(Path.GetDirectoryName(WalPath)!, "wal.jsonl.torn-*"))
            {
                File.Delete(aside);
            }

            var expectedRecords = starts.Count(s => s > 0 && s <= cut);
            var lastCompleteEnd = starts.Where(s => s <= cut).Max();
            await using (var log = FileStateLog.Open(Options(WalPath)))
            {
                log.Recovery.ValidRecords.Should().Be(expectedRecords, $"cut at {cut}");
                log.LastDurableSeq.Should().Be(expectedRecords);
                if (cut == lastCompleteEnd)
                {
                    log.Recovery.TailCut.Should().BeFalse($"cut at {cut} is a record boundary");
                }
                else
                {
                    log.Recovery.CutOffset.Should().Be(lastCompleteEnd, $"cut at {cut}");
                    log.Recovery.CutBytes.Should().Be(cut - lastCompleteEnd);
                    File.ReadAllBytes(log.Recovery.AsidePath!).Should().Equal(original[lastCompleteEnd..cut], "the torn bytes are kept, not dropped");
                }

                (await log.AppendAsync(WalKinds.InboxPut, Fields(("after", cut)))).Should().Be(expectedRecords + 1);
            }

            var records = await ReadFileAsync(WalPath);
            records.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, expectedRecords + 1).Select(i => (long)i), $"cut at {cut}");
            records.Take(expectedRecords).Select(r => r.Int("i")).Should().Equal(Enumerable.Range(1, expectedRecords));
        }
    }

    [Fact]
    public async Task Open_ByteFlippedAnywhereInAMiddleRecord_ThrowsCorruptNamingOffsetAndRepairCommand()
    {
        await WriteLogAsync(WalPath, 5);
        var original = File.ReadAllBytes(WalPath);
        var starts = LineStarts(original);
        var recordStart = starts[2]; // third record
        var recordEnd = starts[3] - 1; // exclude its newline

        for (var at = recordStart; at < recordEnd; at++)
        {
            var damaged = (byte[])original.Clone();
            damaged[at] ^= 0xFF;
            File.WriteAllBytes(WalPath, damaged);

            var act = () => FileStateLog.Open(Options(WalPath));
            var ex = act.Should().Throw<StateLogCorruptException>($"flip at {at}").Which;
            ex.Offset.Should().Be(recordStart);
            ex.Message.Should().Contain($"offset {recordStart}").And.Contain("reyn state repair");
            File.ReadAllBytes(WalPath).Should().Equal(damaged, "a refused open changes nothing");

            var report = WalMaintenance.Verify(WalPath);
            report.NeedsRepair.Should().BeTrue();
            report.Problems.Should().ContainSingle().Which.Offset.Should().Be(recordStart);
        }
    }

    [Fact]
    public async Task Open_ByteFlippedInLastRecord_CutsItReportsOffsetAndKeepsBytesAside()
    {
        await WriteLogAsync(WalPath, 4);
        var original = File.ReadAllBytes(WalPath);
        var starts = LineStarts(original);
        var lastStart = starts[3];
        original[lastStart + 12] ^= 0x01;
        File.WriteAllBytes(WalPath, original);

        await using var log = FileStateLog.Open(Options(WalPath));
        log.Recovery.CutOffset.Should().Be(lastStart);
        log.Recovery.Problems.Should().ContainSingle().Which.Offset.Should().Be(lastStart);
        log.Recovery.Problems[0].Description.Should().Contain("crc mismatch");
        File.ReadAllBytes(log.Recovery.AsidePath!).Should().Equal(original[lastStart..]);
        log.LastDurableSeq.Should().Be(3);
    }

    [Fact]
    public async Task Open_TornTailCannotBeKeptAside_IOExceptionWithTheFixAndTheLogUntouched()
    {
        await WriteLogAsync(WalPath, 3);
        var torn = File.ReadAllBytes(WalPath)[..^7];
        File.WriteAllBytes(WalPath, torn);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero));
        Directory.CreateDirectory(WalPath + ".torn-20261206T140000000Z"); // the aside's name is taken by a directory

        var act = () => FileStateLog.Open(Options(WalPath), time);

        act.Should().Throw<IOException>().Which.Message.Should().Contain("torn or corrupt tail").And.Contain("nothing was removed");
        File.ReadAllBytes(WalPath).Should().Equal(torn, "the log is cut only after its tail is safely kept");
        await using var reopened = FileStateLog.Open(Options(WalPath));
        reopened.LastDurableSeq.Should().Be(2);
        File.ReadAllBytes(reopened.Recovery.AsidePath!).Should().Equal(torn[LineStarts(torn)[2]..]);
    }

    [Fact]
    public async Task Repair_CorruptMiddleRecord_KeepsEveryValidRecordAndMovesBadBytesAside()
    {
        await WriteLogAsync(WalPath, 5);
        var original = File.ReadAllBytes(WalPath);
        var starts = LineStarts(original);
        var damaged = (byte[])original.Clone();
        damaged[starts[1] + 20] ^= 0xFF;
        File.WriteAllBytes(WalPath, damaged);

        var result = WalMaintenance.Repair(WalPath);
        result.KeptRecords.Should().Be(4);
        result.RemovedBytes.Should().Be(starts[2] - starts[1]);
        File.ReadAllBytes(result.AsidePath!).Should().Equal(damaged[starts[1]..starts[2]]);
        WalMaintenance.Verify(WalPath).IsHealthy.Should().BeTrue();

        await using var log = FileStateLog.Open(Options(WalPath));
        (await ReadAllAsync(log)).Select(r => r.Seq).Should().Equal(1, 3, 4, 5);
        (await log.AppendAsync(WalKinds.InboxPut, Fields())).Should().Be(6);
    }

    [Fact]
    public async Task Repair_WhileWriterHoldsLog_RefusesWithLockError()
    {
        await WriteLogAsync(WalPath, 2);
        await using var log = FileStateLog.Open(Options(WalPath));
        var act = () => WalMaintenance.Repair(WalPath);
        act.Should().Throw<StateLogLockedException>();
    }

    [Fact]
    public async Task Verify_HealthyLog_ReportsRecordsAndSeqRange()
    {
        await WriteLogAsync(WalPath, 3);
        var report = WalMaintenance.Verify(WalPath);
        report.IsHealthy.Should().BeTrue();
        report.ValidRecords.Should().Be(3);
        (report.FirstSeq, report.LastSeq).Should().Be((1L, 3L));
    }

    [Fact]
    public async Task Open_DuplicatedSeqBeforeValidRecords_IsCorruption()
    {
        await WriteLogAsync(WalPath, 3);
        var lines = File.ReadAllLines(WalPath);
        File.WriteAllLines(WalPath, [lines[0], lines[1], lines[1], lines[2]]);
        var act = () => FileStateLog.Open(Options(WalPath));
        act.Should().Throw<StateLogCorruptException>().Which.Problem.Should().Contain("does not follow");
    }
}
