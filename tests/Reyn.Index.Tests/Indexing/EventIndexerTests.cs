using Reyn.Events;
using Reyn.Index.Tests.Support;
using Reyn.Testing;
using Reyn.Testing.Events;

namespace Reyn.Index.Tests.Indexing;

public sealed class EventIndexerTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-index-events");
    private readonly RunLogWriter _log;
    private readonly SqliteIndexBackend _backend;

    public EventIndexerTests()
    {
        _log = new RunLogWriter(_dir.Path);
        _backend = new SqliteIndexBackend(_dir.Combine("index"));
    }

    public void Dispose() => _dir.Dispose();

    private EventIndexer NewIndexer(EventLog? log = null, HashingEmbeddingGenerator? generator = null) => new(_backend, _dir.Path, generator, log);

    private async Task<IndexHit> OnlyChunkAsync(string runId) =>
        (await _backend.QueryAsync("events", new IndexQuery("", 100))).Hits.Single(h => h.Id == runId);

    [Fact]
    public async Task IndexAsync_CompletedRun_WritesOneChunkInTheSeedFormat()
    {
        _log.Write(Runs.Success("r1") with { ToolsPerPhase = ["grep", "read_file", "read_file"], Phases = ["explore", "plan", "apply", "verify", "report"] });

        var result = await NewIndexer().IndexAsync();

        result.IndexedRuns.Should().Be(1);
        var chunk = await OnlyChunkAsync("r1");
        chunk.Text.Should().Be(string.Join('\n',
            "[run chunk]",
            "skill: my_skill",
            "run_id: r1",
            "version_hash: " + new string('a', 64),
            "timestamp: 2026-05-10T09:15:00Z",
            "status: success",
            "duration_seconds: 43",
            "phases: explore → plan → apply → verify → report",
            "errors: []",
            "tool_calls: grep(×5), read_file(×10)",
            "cost_usd: 0.1"));
        chunk.Metadata.Skill.Should().Be("my_skill");
        chunk.Metadata.Status.Should().Be("success");
        chunk.Metadata.VersionHash.Should().Be(new string('a', 64));
        chunk.Metadata.Timestamp.Should().Be(Runs.Day);
    }

    [Fact]
    public async Task IndexAsync_FailedRun_KeepsFailingPhaseAndErrorAndRecallFindsIt()
    {
        _log.Write(Runs.Success("ok1"));
        _log.Write(Runs.Success("ok2", skill: "other_skill"));
        _log.Write(Runs.Failure("bad", phase: "verify", error: "test execution timeout after 300s"));
        _log.Write(Runs.Failure("bad-plan", skill: "other_skill", phase: "plan", error: "invalid plan"));
        await NewIndexer().IndexAsync();

        var chunk = await OnlyChunkAsync("bad");
        chunk.Text.Should().Contain("status: failed").And.Contain("failed_phase: verify")
            .And.Contain("errors: [\"test execution timeout after 300s\"]")
            .And.Contain("failure: test execution timeout after 300s in verify phase")
            .And.Contain("phases: explore → plan → apply → verify");
        var recall = await new Recall(_backend).RecallAsync(new RecallRequest { Sources = ["events"], Query = "failure patterns in the verify phase of my_skill", TopK = 10 });
        recall.Hits[0].Id.Should().Be("bad");
    }

    [Theory]
    [InlineData("loop")]
    [InlineData("status")]
    public async Task IndexAsync_RunThatHitALimit_IsAFailureNotASuccess(string how)
    {
        var run = how == "loop"
            ? Runs.Success("looped") with { LoopLimitPhase = "plan", Status = "finished" }
            : Runs.Success("budget") with { Status = "phase_budget_exceeded" };
        _log.Write(run);

        await NewIndexer().IndexAsync();

        var chunk = await OnlyChunkAsync(run.RunId);
        chunk.Metadata.Status.Should().Be("failed");
        if (how == "loop")
        {
            chunk.Text.Should().Contain("failed_phase: plan").And.Contain("loop limit exceeded (visit 6 > max 5)");
        }
    }

    [Fact]
    public async Task IndexAsync_RunTwice_IndexesNothingNewTheSecondTime()
    {
        for (var i = 0; i < 5; i++)
        {
            _log.Write(Runs.Success("r" + i, start: Runs.Day.AddMinutes(i)));
        }

        var first = await NewIndexer().IndexAsync();
        var second = await NewIndexer().IndexAsync();

        first.IndexedRuns.Should().Be(5);
        second.IndexedRuns.Should().Be(0);
        second.Cursor.Should().Be(first.Cursor);
        (await _backend.GetStatsAsync("events")).ChunkCount.Should().Be(5);
    }

    [Fact]
    public async Task IndexAsync_UnfinishedRun_IsSkippedThenPickedUpOnceComplete()
    {
        _log.Write(Runs.Success("done"));
        var running = Runs.Success("running", start: Runs.Day.AddMinutes(1)) with { Unfinished = true };
        _log.Write(running);

        var first = await NewIndexer().IndexAsync();
        _log.Complete(running);
        var second = await NewIndexer().IndexAsync();

        first.IndexedRuns.Should().Be(1);
        first.SkippedRuns.Should().Be(1);
        second.IndexedRuns.Should().Be(1);
        second.SkippedRuns.Should().Be(0);
        (await OnlyChunkAsync("running")).Metadata.Status.Should().Be("success");
    }

    [Fact]
    public async Task IndexAsync_Cursor_WrittenAtomicallyWithLatestCompletion()
    {
        _log.Write(Runs.Success("a", start: Runs.Day));
        _log.Write(Runs.Success("b", start: Runs.Day.AddHours(1)));
        var indexer = NewIndexer();

        var result = await indexer.IndexAsync();

        var expected = Runs.Day.AddHours(1).AddSeconds(43);
        result.Cursor.Should().Be(expected);
        File.ReadAllText(_dir.Combine("index", "events_cursor")).Trim().Should().Be(expected.ToString("O"));
        indexer.ReadCursor().Should().Be(expected);
        Directory.GetFiles(_dir.Combine("index"), "events_cursor.tmp*").Should().BeEmpty();
    }

    [Fact]
    public async Task IndexAsync_OnlyRunsNewerThanCursor_AreIndexedAndOlderAreFiltered()
    {
        _log.Write(Runs.Success("old", start: Runs.Day));
        await NewIndexer().IndexAsync();
        await _backend.DropAsync("events");
        _log.Write(Runs.Success("new", start: Runs.Day.AddDays(1)));

        var result = await NewIndexer().IndexAsync();

        result.IndexedRuns.Should().Be(1);
        result.FilteredRuns.Should().Be(1);
        (await _backend.QueryAsync("events", new IndexQuery("", 10))).Hits.Select(h => h.Id).Should().Equal("new");
    }

    [Fact]
    public async Task IndexAsync_Since_OverridesTheCursor()
    {
        _log.Write(Runs.Success("old", start: Runs.Day));
        _log.Write(Runs.Success("new", start: Runs.Day.AddDays(1)));
        await NewIndexer().IndexAsync();
        await _backend.DropAsync("events");

        var result = await NewIndexer().IndexAsync(new IndexEventsRequest { Since = Runs.Day.AddHours(-1) });

        result.IndexedRuns.Should().Be(2);
        result.EffectiveSince.Should().Be(Runs.Day.AddHours(-1));
    }

    [Fact]
    public async Task IndexAsync_ReplaceMode_RebuildsFromAllFiles()
    {
        _log.Write(Runs.Success("a"));
        await NewIndexer().IndexAsync();
        await _backend.UpsertAsync("events", [new IndexChunk("stray", "x", "stray chunk not from events")]);

        var result = await NewIndexer().IndexAsync(new IndexEventsRequest { Mode = IndexEventsMode.Replace });

        result.IndexedRuns.Should().Be(1);
        (await _backend.QueryAsync("events", new IndexQuery("", 10))).Hits.Select(h => h.Id).Should().Equal("a");
    }

    [Fact]
    public async Task IndexAsync_SkillFilter_CountsOthersAsFiltered()
    {
        _log.Write(Runs.Success("a", skill: "keep"));
        _log.Write(Runs.Success("b", skill: "drop"));

        var result = await NewIndexer().IndexAsync(new IndexEventsRequest { Skills = ["keep"] });

        result.IndexedRuns.Should().Be(1);
        result.FilteredRuns.Should().Be(1);
    }

    [Fact]
    public async Task IndexAsync_TornAndBlankLines_AreSkippedWithoutLosingRuns()
    {
        var path = _log.Write(Runs.Success("a"));
        File.AppendAllText(path, "\n{\"type\":\"phase_started\",\"timest");
        File.AppendAllText(_log.PathOf(Runs.Success("zz")), "not json at all\n");

        var result = await NewIndexer().IndexAsync();

        result.IndexedRuns.Should().Be(1);
        result.SkippedLines.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task IndexAsync_ReportsProgressAndEmitsIndexEventsCompleted()
    {
        for (var i = 0; i < 3; i++)
        {
            _log.Write(Runs.Success("r" + i, start: Runs.Day.AddMinutes(i)));
        }

        var (log, sink) = RecordingEventSink.CreateLog();
        var progress = new SyncProgress<IndexEventsProgress>();

        await new EventIndexer(_backend, _dir.Path, eventLog: log) { BatchSize = 2 }.IndexAsync(progress: progress);

        progress.Reports.Should().NotBeEmpty();
        progress.Reports[^1].Should().Be(new IndexEventsProgress(3, 3, 3));
        progress.Reports.Select(p => p.FilesDone).Should().BeInAscendingOrder();
        var evt = sink.Events.Single(e => e.Type == EventTypes.IndexEventsCompleted);
        evt.Data["indexed_runs"].Should().Be(3);
        evt.Data["skipped_runs"].Should().Be(0);
        EventCatalog.TryGet(evt.Type, out var kind).Should().BeTrue();
        kind.RequiredFields.Should().OnlyContain(f => evt.Data.ContainsKey(f));
    }

    [Fact]
    public async Task IndexAsync_WithEmbeddingGenerator_StoresVectorsAndNeverReembedsIndexedText()
    {
        _log.Write(Runs.Success("a"));
        _log.Write(Runs.Failure("b", start: Runs.Day.AddMinutes(1)));
        var generator = new HashingEmbeddingGenerator();

        await NewIndexer(generator: generator).IndexAsync();
        await NewIndexer(generator: generator).IndexAsync(new IndexEventsRequest { Since = DateTimeOffset.UnixEpoch });

        generator.TextsEmbedded.Should().Be(2);
        var stats = await _backend.GetStatsAsync("events");
        stats.VectorCount.Should().Be(2);
        stats.EmbeddingModel.Should().Be("hashing-trigram-384");
    }

    [Fact]
    public async Task IndexAsync_GeneratorOfAnotherModel_FailsBeforeWritingAnything()
    {
        _log.Write(Runs.Success("a"));
        await NewIndexer(generator: new HashingEmbeddingGenerator()).IndexAsync();
        _log.Write(Runs.Success("b", start: Runs.Day.AddDays(1)));

        var act = () => NewIndexer(generator: new HashingEmbeddingGenerator("other-model")).IndexAsync();

        await act.Should().ThrowAsync<IndexModelMismatchException>();
        (await _backend.GetStatsAsync("events")).ChunkCount.Should().Be(1);
    }
}
