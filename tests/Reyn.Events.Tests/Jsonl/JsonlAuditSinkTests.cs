using Microsoft.Extensions.Logging;
using Reyn.Events.Jsonl;
using Reyn.Events.Serialization;
using Reyn.Events.Tests.Support;
using Reyn.Testing;

namespace Reyn.Events.Tests.Jsonl;

public sealed class JsonlAuditSinkTests : IDisposable
{
    private static readonly DateTimeOffset May10 = new(2026, 5, 10, 9, 0, 0, TimeSpan.FromHours(2));
    private readonly TempDirectory _temp = new("reyn-jsonl");

    private string EventsDir => _temp.Combine("events");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Write_EventsOfARun_OneFilePerRunInMonthDirectoryInOrder()
    {
        var runId = RunIds.New("triage", new DateTimeOffset(2026, 5, 10, 7, 0, 0, TimeSpan.Zero));
        await using var sink = new JsonlAuditSink(EventsDir);

        for (var i = 1; i <= 20; i++)
        {
            sink.Write(Event(EventTypes.PhaseStarted, May10.AddSeconds(i), ("run_id", runId), ("i", i)));
        }

        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "s1")));
        await sink.FlushAsync();

        var path = Path.Combine(EventsDir, "2026-05", runId + ".jsonl");
        var lines = ReadEvents(path);
        lines.Select(e => e.Data["i"]).Should().Equal(Enumerable.Range(1, 20).Select(i => (object)(long)i));
        lines.Should().AllSatisfy(e => e.RunId.Should().Be(runId));
        sink.WrittenCount.Should().Be(21);
        sink.DroppedCount.Should().Be(0);
    }

    [Fact]
    public async Task Write_EventsOutsideRun_GoToSessionFileOrHostFile()
    {
        await using var sink = new JsonlAuditSink(EventsDir);

        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "chat/42")));
        sink.Write(Event(EventTypes.ConfigReloaded, May10));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "chat_42.jsonl")).Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStarted);
        ReadEvents(Path.Combine(EventsDir, "2026-05", "host.jsonl")).Should().ContainSingle().Which.Type.Should().Be(EventTypes.ConfigReloaded);
        sink.LastWrittenFile.Should().StartWith(Path.Combine(EventsDir, "2026-05"));
    }

    [Fact]
    public async Task DisposeAsync_WithoutFlush_AllQueuedEventsWrittenAndFilesClosed()
    {
        var sink = new JsonlAuditSink(EventsDir);
        for (var i = 0; i < 5000; i++)
        {
            sink.Write(Event(EventTypes.ToolCalled, May10, ("session_id", "s"), ("i", i)));
        }

        await sink.DisposeAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().HaveCount(5000);
        sink.OpenFileCount.Should().Be(0);
        sink.Write(Event(EventTypes.ToolCalled, May10));
        sink.DroppedCount.Should().Be(1);
        sink.LastError.Should().Contain("disposed");
    }

    [Fact]
    public async Task Write_ExistingFile_AppendsNeverTruncates()
    {
        var runId = "20260510T070000000000Z_t_abcd";
        await using (var first = new JsonlAuditSink(EventsDir))
        {
            first.Write(Event(EventTypes.RunSkillStarted, May10, ("run_id", runId)));
        }

        await using (var second = new JsonlAuditSink(EventsDir))
        {
            second.Write(Event(EventTypes.RunSkillCompleted, May10, ("run_id", runId)));
        }

        ReadEvents(Path.Combine(EventsDir, "2026-05", runId + ".jsonl")).Select(e => e.Type)
            .Should().Equal(EventTypes.RunSkillStarted, EventTypes.RunSkillCompleted);
    }

    [Fact]
    public async Task Write_EventsDirectoryDeletedWhileOpen_RecreatedOnNextWrite()
    {
        await using var sink = new JsonlAuditSink(EventsDir);
        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "s")));
        await sink.FlushAsync();

        Directory.Delete(EventsDir, recursive: true);
        sink.Write(Event(EventTypes.TurnStarted, May10, ("session_id", "s")));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().ContainSingle().Which.Type.Should().Be(EventTypes.TurnStarted);
        sink.DroppedCount.Should().Be(0);
    }

    [Fact]
    public async Task Write_RunCompleted_FileClosed()
    {
        var runId = "20260510T070000000000Z_t_abcd";
        await using var sink = new JsonlAuditSink(EventsDir);
        sink.Write(Event(EventTypes.RunSkillStarted, May10, ("run_id", runId)));
        await sink.FlushAsync();
        sink.OpenFileCount.Should().Be(1);

        sink.Write(Event(EventTypes.RunSkillCompleted, May10, ("run_id", runId), ("status", "success")));
        await sink.FlushAsync();

        sink.OpenFileCount.Should().Be(0);
        ReadEvents(Path.Combine(EventsDir, "2026-05", runId + ".jsonl")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Write_ManyConcurrentRuns_OpenFilesCappedAndNothingLost()
    {
        await using var sink = new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { MaxOpenFiles = 3, MaxBatchSize = 1 });
        var runs = Enumerable.Range(0, 12).Select(i => $"20260510T0700000000{i:00}Z_t_abcd").ToList();

        for (var round = 0; round < 3; round++)
        {
            foreach (var run in runs)
            {
                sink.Write(Event(EventTypes.ToolCalled, May10, ("run_id", run), ("round", round)));
            }

            await sink.FlushAsync();
            sink.OpenFileCount.Should().BeLessThanOrEqualTo(3);
        }

        foreach (var run in runs)
        {
            ReadEvents(Path.Combine(EventsDir, "2026-05", run + ".jsonl")).Select(e => e.Data["round"]).Should().Equal(0L, 1L, 2L);
        }
    }

    [Fact]
    public async Task Write_SessionFileReachesMaxBytes_NewSuffixedFileOldOneKeptUnrenamed()
    {
        await using var sink = new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { SessionFileMaxBytes = 2000, MaxBatchSize = 1 });

        for (var i = 0; i < 60; i++)
        {
            sink.Write(Event(EventTypes.TurnStarted, May10.AddSeconds(i), ("session_id", "s"), ("i", i)));
        }

        await sink.FlushAsync();

        var files = Directory.GetFiles(Path.Combine(EventsDir, "2026-05")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        files.Should().HaveCountGreaterThan(2);
        files[0].Should().Be("s.jsonl");
        files.Skip(1).Should().AllSatisfy(f => f.Should().MatchRegex(@"^s_20260510T\d{6}(_\d+)?\.jsonl$"));
        var all = files.SelectMany(f => ReadEvents(Path.Combine(EventsDir, "2026-05", f!))).Select(e => (long)e.Data["i"]!).ToList();
        all.Should().Equal(Enumerable.Range(0, 60).Select(i => (long)i), "rotation loses nothing and keeps order across files in name order");
        foreach (var f in files.SkipLast(1))
        {
            new FileInfo(Path.Combine(EventsDir, "2026-05", f!)).Length.Should().BeLessThan(2000 + 200);
        }
    }

    [Fact]
    public async Task Write_SessionFileOlderThanMaxAge_Rotates()
    {
        await using var sink = new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { SessionFileMaxAge = TimeSpan.FromHours(1), MaxBatchSize = 1 });

        sink.Write(Event(EventTypes.TurnStarted, May10, ("session_id", "s")));
        sink.Write(Event(EventTypes.TurnStarted, May10.AddMinutes(59), ("session_id", "s")));
        sink.Write(Event(EventTypes.TurnStarted, May10.AddMinutes(61), ("session_id", "s")));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().HaveCount(2);
        ReadEvents(Path.Combine(EventsDir, "2026-05", "s_20260510T100100.jsonl")).Should().ContainSingle();
    }

    [Fact]
    public async Task Write_LocalDateChanges_RotatesIntoNewDayAndMonth()
    {
        await using var sink = new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { SessionFileMaxAge = TimeSpan.Zero, SessionFileMaxBytes = 0 });
        var lateApril = new DateTimeOffset(2026, 4, 30, 23, 59, 0, TimeSpan.FromHours(2));

        sink.Write(Event(EventTypes.TurnStarted, lateApril, ("session_id", "s")));
        sink.Write(Event(EventTypes.TurnStarted, lateApril.AddMinutes(2), ("session_id", "s")));
        sink.Write(Event(EventTypes.TurnStarted, lateApril.AddMinutes(3), ("session_id", "s")));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-04", "s.jsonl")).Should().ContainSingle();
        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().HaveCount(2);
    }

    [Fact]
    public async Task Write_NewSinkOnExistingSessionFileFromAnotherDay_StartsSuffixedFile()
    {
        var dir = Path.Combine(EventsDir, "2026-05");
        Directory.CreateDirectory(dir);
        var old = Path.Combine(dir, "host.jsonl");
        await File.WriteAllTextAsync(old, "{\"type\":\"chat_started\",\"timestamp\":\"2026-05-01T09:00:00+02:00\",\"data\":{}}\n");
        File.SetLastWriteTimeUtc(old, new DateTime(2026, 5, 1, 7, 0, 0, DateTimeKind.Utc));

        await using (var sink = new JsonlAuditSink(EventsDir))
        {
            sink.Write(Event(EventTypes.ConfigReloaded, May10));
        }

        ReadEvents(old).Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStarted);
        ReadEvents(Path.Combine(dir, "host_20260510T090000.jsonl")).Should().ContainSingle().Which.Type.Should().Be(EventTypes.ConfigReloaded);
    }

    [Fact]
    public async Task Write_ManyThreads_EveryLineIsCompleteJson()
    {
        await using var sink = new JsonlAuditSink(EventsDir);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                sink.Write(Event(EventTypes.ToolCalled, May10, ("session_id", "s"), ("t", t), ("text", new string('x', i % 300))));
            }
        })));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().HaveCount(4000);
    }

    [Fact]
    public async Task Write_EventsPathIsAFile_DroppedCountedLoggedThenRecoversWhenFixed()
    {
        await File.WriteAllTextAsync(EventsDir, "not a directory");
        var logger = new RecordingLogger<JsonlAuditSink>();
        await using var sink = new JsonlAuditSink(EventsDir, logger: logger);

        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "s")));
        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "s")));
        await sink.FlushAsync();

        sink.DroppedCount.Should().Be(2);
        sink.LastError.Should().Contain(EventsDir);
        logger.Entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Message.Contains("dropped 2 event"));

        File.Delete(EventsDir);
        sink.Write(Event(EventTypes.ChatStopped, May10, ("session_id", "s")));
        await sink.FlushAsync();

        ReadEvents(Path.Combine(EventsDir, "2026-05", "s.jsonl")).Should().ContainSingle().Which.Type.Should().Be(EventTypes.ChatStopped);
        sink.DroppedCount.Should().Be(2);
    }

    [Fact]
    public async Task Write_DiskFull_DroppedCountedAndHostKeepsRunning()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/dev/full"))
        {
            return;
        }

        var runId = "20260510T070000000000Z_full_abcd";
        var dir = Path.Combine(EventsDir, "2026-05");
        Directory.CreateDirectory(dir);
        File.CreateSymbolicLink(Path.Combine(dir, runId + ".jsonl"), "/dev/full");
        var logger = new RecordingLogger<JsonlAuditSink>();
        await using var sink = new JsonlAuditSink(EventsDir, logger: logger);

        sink.Write(Event(EventTypes.RunSkillStarted, May10, ("run_id", runId)));
        sink.Write(Event(EventTypes.ChatStarted, May10, ("session_id", "ok")));
        await sink.FlushAsync();

        sink.DroppedCount.Should().Be(1);
        sink.LastError.Should().Contain(runId);
        logger.Entries.Should().NotBeEmpty();
        ReadEvents(Path.Combine(dir, "ok.jsonl")).Should().ContainSingle("other files keep working");
    }

    [Fact]
    public async Task Write_WriterStalledAndQueueFull_NewEventsDroppedCountedNeverBlockCaller()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A FIFO with no reader: the writer blocks opening it, so the queue fills deterministically.
        var runId = "20260510T070000000000Z_fifo_abcd";
        var dir = Path.Combine(EventsDir, "2026-05");
        Directory.CreateDirectory(dir);
        var fifo = Path.Combine(dir, runId + ".jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
            mkfifo.ExitCode.Should().Be(0);
        }

        var sink = new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { QueueCapacity = 2, MaxBatchSize = 1 });
        for (var i = 0; i < 6; i++)
        {
            sink.Write(Event(EventTypes.ToolCalled, May10, ("run_id", runId), ("i", i)));
        }

        sink.DroppedCount.Should().BeInRange(3, 4, "at most the capacity plus the one event the writer holds are kept");
        sink.LastError.Should().Contain("queue is full");

        // Unblock the writer: keep a reader on the FIFO (the writer may reopen it) until the sink is disposed.
        var stop = 0;
        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read);
                stream.CopyTo(Stream.Null);
            }
        });
        await sink.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Volatile.Write(ref stop, 1);
        if (!reader.IsCompleted)
        {
            // Releases a reader blocked opening the FIFO so that it sees the stop flag. Opened read-write: on Linux that
            // never blocks, so it cannot hang when the reader saw the flag and exited after the check above (a
            // write-only open would then wait for a reader that never comes).
            new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite).Dispose();
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(30));

        (sink.WrittenCount + sink.DroppedCount).Should().Be(6, "every event is either written or counted as dropped");
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsNamingEachOption()
    {
        var act = () => new JsonlAuditSink(EventsDir, new JsonlAuditSinkOptions { QueueCapacity = 0, MaxOpenFiles = 0 });

        act.Should().Throw<ArgumentException>().WithMessage("*QueueCapacity*").WithMessage("*MaxOpenFiles*");
    }

    private static ReynEvent Event(string type, DateTimeOffset at, params (string Key, object? Value)[] fields)
    {
        var data = new EventData();
        foreach (var (key, value) in fields)
        {
            data[key] = value;
        }

        return new ReynEvent(type, at, data);
    }

    private static List<ReynEvent> ReadEvents(string path)
    {
        File.Exists(path).Should().BeTrue($"{path} should exist");
        var events = new List<ReynEvent>();
        foreach (var line in File.ReadAllLines(path))
        {
            EventJsonReader.TryParse(line, out var evt, out var error).Should().BeTrue($"every line of {path} parses ({error}): {line}");
            events.Add(evt!);
        }

        return events;
    }
}
