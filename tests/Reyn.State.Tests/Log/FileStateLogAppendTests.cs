using System.Text;
using System.Text.Json;
using Reyn.State.Internal;
using Reyn.State.Tests.Support;
using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

public sealed class FileStateLogAppendTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-wal");

    private string WalPath => _dir.Combine("state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_Records_WritesOnePlainJsonLinePerRecordWithVerifiableCrc()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero));
        await using (var log = FileStateLog.Open(Options(WalPath), time))
        {
            (await log.AppendAsync(WalKinds.StepStarted, Fields(("run_id", "r1"), ("args", new Dictionary<string, object?> { ["path"] = "a.txt" })))).Should().Be(1);
            (await log.AppendAsync(WalKinds.StepCompleted, Fields(("run_id", "r1"), ("text", "naïve \"quoted\"\nline")))).Should().Be(2);
        }

        var lines = File.ReadAllLines(WalPath, Encoding.UTF8);
        lines.Should().HaveCount(2);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        root.GetProperty("seq").GetInt64().Should().Be(1);
        root.GetProperty("ts").GetString().Should().Be("2026-03-04T05:06:07Z");
        root.GetProperty("kind").GetString().Should().Be("step_started");
        root.GetProperty("run_id").GetString().Should().Be("r1");
        root.GetProperty("args").GetProperty("path").GetString().Should().Be("a.txt");
        var crc = root.GetProperty("crc").GetString()!;
        crc.Should().MatchRegex("^[0-9a-f]{8}$");
        var prefix = lines[0][..lines[0].LastIndexOf(",\"crc\":", StringComparison.Ordinal)];
        Crc32C.Compute(Encoding.UTF8.GetBytes(prefix)).ToString("x8").Should().Be(crc);
        using var second = JsonDocument.Parse(lines[1]);
        second.RootElement.GetProperty("text").GetString().Should().Be("naïve \"quoted\"\nline");
        lines[1].Should().Contain("naïve", "non-ASCII stays readable for grep");
    }

    [Fact]
    public void Crc32C_KnownVector_MatchesCastagnoliCheckValue()
    {
        Crc32C.Compute("123456789"u8).Should().Be(0xE3069283u);
    }

    [Fact]
    public async Task AppendAsync_UnregisteredKind_ThrowsAndWritesNothing()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        var act = async () => await log.AppendAsync("made_up_kind", Fields(("a", 1)));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("made_up_kind").And.Contain("ExtraKinds");
        (await log.AppendAsync(WalKinds.InboxPut, Fields())).Should().Be(1, "a rejected append consumes no seq");
    }

    [Fact]
    public async Task AppendAsync_ExtraKindRegistered_IsAccepted()
    {
        var options = Options(WalPath);
        options.ExtraKinds.Add("host_checkpoint");
        await using var log = FileStateLog.Open(options);
        (await log.AppendAsync("host_checkpoint", Fields(("x", 1)))).Should().Be(1);
    }

    [Fact]
    public async Task AppendAsync_ReservedFieldName_ThrowsAndSeqIsNotConsumed()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        var act = async () => await log.AppendAsync(WalKinds.InboxPut, Fields(("a", 1), ("seq", 99)));
        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("reserved");
        (await log.AppendAsync(WalKinds.InboxPut, Fields(("a", 2)))).Should().Be(1);
        var records = await ReadAllAsync(log);
        records.Should().ContainSingle().Which.Int("a").Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_64ConcurrentAppenders_SeqsAreGapFreeAndFileOrderEqualsSeqOrder()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(long Seq, int Writer, int I)>();
        var writers = Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var seq = await log.AppendAsync(WalKinds.StepCompleted, Fields(("w", w), ("i", i)));
                seq.Should().BeLessThanOrEqualTo(log.LastDurableSeq, "an Always append completes only once durable");
                acknowledged.Add((seq, w, i));
            }
        }));
        await Task.WhenAll(writers);

        acknowledged.Select(a => a.Seq).Order().Should().Equal(Enumerable.Range(1, 64 * 20).Select(i => (long)i));
        var records = await ReadFileAsync(WalPath);
        records.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, 64 * 20).Select(i => (long)i), "file order is seq order");
        var bySeq = records.ToDictionary(r => r.Seq);
        foreach (var (seq, w, i) in acknowledged)
        {
            bySeq[seq].Int("w").Should().Be(w);
            bySeq[seq].Int("i").Should().Be(i);
        }

        // Per writer, its records appear in the order it appended them.
        foreach (var group in records.GroupBy(r => r.Int("w")))
        {
            group.Select(r => r.Int("i")).Should().BeInAscendingOrder();
        }
    }

    [Fact]
    public async Task AppendAsync_ConcurrentAlwaysAppenders_ShareSyncs()
    {
        FaultyWalFile? file = null;
        var options = Options(WalPath);
        options.FileFactory = p => file = new FaultyWalFile(p);
        await using var log = FileStateLog.Open(options);
        const int appenders = 64;
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, appenders).Select(w => Task.Run(async () =>
        {
            start.Wait();
            for (var i = 0; i < 10; i++)
            {
                await log.AppendAsync(WalKinds.StepCompleted, Fields(("w", w)));
            }
        })).ToArray();
        start.Set();
        await Task.WhenAll(tasks);

        log.LastDurableSeq.Should().Be(appenders * 10);
        file!.Syncs.Should().BeGreaterThan(0).And.BeLessThan(appenders * 10, "appenders waiting at the same moment share one sync");
    }

    [Fact]
    public async Task ReadFromAsync_FromSeq_StreamsRecordsInOrderFromThatSeq()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        for (var i = 1; i <= 10; i++)
        {
            await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
        }

        var records = await ReadAllAsync(log, 7);
        records.Select(r => r.Seq).Should().Equal(7, 8, 9, 10);
        records.Select(r => r.Int("i")).Should().Equal(7, 8, 9, 10);
        records[0].Kind.Should().Be("inbox_put");
        records[0].Fields.TryGetProperty("crc", out _).Should().BeFalse("fields exclude seq, ts, kind and crc");
    }

    [Fact]
    public async Task ReadFromAsync_UnknownKindOnDisk_IsPassedThrough()
    {
        var options = Options(WalPath);
        options.ExtraKinds.Add("from_the_future");
        await using (var writer = FileStateLog.Open(options))
        {
            await writer.AppendAsync(WalKinds.InboxPut, Fields(("i", 1)));
            await writer.AppendAsync("from_the_future", Fields(("i", 2)));
            await writer.AppendAsync(WalKinds.InboxPut, Fields(("i", 3)));
        }

        await using var reader = FileStateLog.Open(Options(WalPath));
        var records = await ReadAllAsync(reader);
        records.Select(r => r.Kind).Should().Equal("inbox_put", "from_the_future", "inbox_put");
        var act = async () => await reader.AppendAsync("from_the_future", Fields());
        await act.Should().ThrowAsync<ArgumentException>("the writer still only appends registered kinds");
    }

    [Fact]
    public async Task Open_ExistingLog_ContinuesFromMaxSeqPlusOne()
    {
        await WriteLogAsync(WalPath, 5);
        await using var log = FileStateLog.Open(Options(WalPath));
        log.LastDurableSeq.Should().Be(5);
        log.Recovery.TailCut.Should().BeFalse();
        (await log.AppendAsync(WalKinds.InboxPut, Fields())).Should().Be(6);
    }

    [Fact]
    public async Task Open_SecondWriterOnSameLog_ThrowsLockedWithClearMessage()
    {
        await using var first = FileStateLog.Open(Options(WalPath));
        var act = () => FileStateLog.Open(Options(WalPath));
        act.Should().Throw<StateLogLockedException>().Which.Message.Should().Contain("already open for writing").And.Contain(WalPath);
        await first.AppendAsync(WalKinds.InboxPut, Fields());
    }

    [Fact]
    public void Open_DirectoryPathRunsThroughAFile_IOExceptionNamesTheDirectoryAndTheFix()
    {
        var file = _dir.Combine("not-a-directory");
        File.WriteAllText(file, "x");
        var path = Path.Combine(file, "state", "wal.jsonl");

        var act = () => FileStateLog.Open(Options(path));

        act.Should().Throw<IOException>().Which.Message.Should().Contain(Path.Combine(file, "state")).And.Contain("ReynOptions.RootDirectory");
        File.ReadAllText(file).Should().Be("x");
    }

    [Fact]
    public async Task Open_AfterFirstWriterDisposed_Succeeds()
    {
        await (await Task.FromResult(FileStateLog.Open(Options(WalPath)))).DisposeAsync();
        await using var second = FileStateLog.Open(Options(WalPath));
        second.LastDurableSeq.Should().Be(0);
    }

    [Fact]
    public async Task Subscribe_ObserverThrows_OtherObserversStillSeeEveryDurableRecord()
    {
        await using var log = FileStateLog.Open(Options(WalPath));
        var seen = new List<(long Seq, long DurableAtCall)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bad = log.Subscribe(_ => throw new InvalidOperationException("observer bug"));
        using var good = log.Subscribe(r =>
        {
            lock (seen)
            {
                seen.Add((r.Seq, log.LastDurableSeq));
            }

            if (r.Seq == 3)
            {
                done.TrySetResult();
            }
        });

        for (var i = 0; i < 3; i++)
        {
            await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        seen.Select(s => s.Seq).Should().Equal(1, 2, 3);
        seen.Should().OnlyContain(s => s.DurableAtCall >= s.Seq, "observers run after durability");
    }

    [Fact]
    public async Task AppendAsync_Batched_CompletesBeforeSyncAndReaderSeesRecordsOnlyOnceDurable()
    {
        var time = new ManualTimeProvider();
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.FromSeconds(1);
        await using var log = FileStateLog.Open(options, time);
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = log.Subscribe(r =>
        {
            if (r.Seq == 3)
            {
                durable.TrySetResult();
            }
        });

        for (var i = 1; i <= 3; i++)
        {
            (await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)))).Should().Be(i);
        }

        log.LastDurableSeq.Should().Be(0, "no interval has elapsed, so nothing is synced yet");
        (await ReadAllAsync(log)).Should().BeEmpty("readers never see records that are not durable");

        time.Advance(TimeSpan.FromSeconds(1));
        await durable.Task.WaitAsync(TimeSpan.FromSeconds(30));
        log.LastDurableSeq.Should().Be(3);
        (await ReadAllAsync(log)).Select(r => r.Seq).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task FlushAsync_Batched_MakesEverythingDurable()
    {
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.FromHours(1);
        await using var log = FileStateLog.Open(options, new ManualTimeProvider());
        await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 1)));
        await log.AppendAsync(WalKinds.InboxPut, Fields(("i", 2)));
        await log.FlushAsync();
        log.LastDurableSeq.Should().Be(2);
        (await ReadFileAsync(WalPath)).Should().HaveCount(2);
    }

    [Fact]
    public async Task DisposeAsync_BatchedPendingRecords_AreWrittenAndSynced()
    {
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.FromHours(1);
        await using (var log = FileStateLog.Open(options, new ManualTimeProvider()))
        {
            for (var i = 0; i < 100; i++)
            {
                await log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
            }
        }

        (await ReadFileAsync(WalPath)).Should().HaveCount(100);
    }

    [Fact]
    public async Task Subscribe_BatchedRecordsWrittenBeforeTheirSync_AreStillObservedAfterTheSync()
    {
        var time = new ManualTimeProvider();
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.FromHours(1);
        await using var log = FileStateLog.Open(options, time);
        var seen = new List<long>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int count = 12_000; // > 1 MiB: the writer writes (without syncing) before the flush
        using var _ = log.Subscribe(r =>
        {
            lock (seen)
            {
                seen.Add(r.Seq);
            }

            if (r.Seq == count)
            {
                last.TrySetResult();
            }
        });

        var payload = new string('x', 100);
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync(WalKinds.InboxPut, Fields(("p", payload)));
        }

        await log.FlushAsync();
        await last.Task.WaitAsync(TimeSpan.FromSeconds(30));
        seen.Should().Equal(Enumerable.Range(1, count).Select(i => (long)i));
    }

    [Fact]
    public async Task Options_InvalidBatchInterval_ThrowsNamingTheOption()
    {
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.Zero;
        var act = () => FileStateLog.Open(options);
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("BatchInterval");
        await Task.CompletedTask;
    }
}
