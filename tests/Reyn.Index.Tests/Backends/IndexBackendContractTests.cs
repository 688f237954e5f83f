using Reyn.Testing;

namespace Reyn.Index.Tests.Backends;

/// <summary>
/// The behaviour every <see cref="IIndexBackend"/> must have. Derive once per backend (SQLite, the sample's in-memory
/// backend, a host's own) and the whole suite runs against it.
/// </summary>
public abstract class IndexBackendContractTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    protected IndexBackendContractTests()
    {
        Directory = new TempDirectory("reyn-index-contract");
        Backend = CreateBackend(Directory.Combine("index"));
    }

    protected TempDirectory Directory { get; }

    protected IIndexBackend Backend { get; }

    protected abstract IIndexBackend CreateBackend(string indexDirectory);

    public void Dispose()
    {
        (Backend as IDisposable)?.Dispose();
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static IndexChunk Chunk(string id, string text, string skill = "my_skill", string status = "success", string version = "v1", int day = 0, string path = "a.jsonl") =>
        new(id, path, text, new ChunkMetadata
        {
            Skill = skill,
            Status = status,
            VersionHash = version,
            Timestamp = T0.AddDays(day),
            Extra = new Dictionary<string, string> { ["note"] = "kept " + id },
        });

    [Fact]
    public async Task UpsertAsync_SameTextTwice_WritesNothingTheSecondTime()
    {
        var first = await Backend.UpsertAsync("events", [Chunk("r1", "grep timeout in verify")]);
        var second = await Backend.UpsertAsync("events", [Chunk("r1", "grep timeout in verify"), Chunk("r1-copy", "grep timeout in verify")]);

        first.Should().Be(new UpsertResult(1, 0));
        second.Should().Be(new UpsertResult(0, 2));
        (await Backend.GetStatsAsync("events")).ChunkCount.Should().Be(1);
    }

    [Fact]
    public async Task UpsertAsync_SameIdNewText_ReplacesTheChunk()
    {
        await Backend.UpsertAsync("events", [Chunk("r1", "alpha bravo")]);
        await Backend.UpsertAsync("events", [Chunk("r1", "charlie delta")]);

        (await Backend.GetStatsAsync("events")).ChunkCount.Should().Be(1);
        (await Backend.QueryAsync("events", new IndexQuery("alpha"))).Hits.Should().BeEmpty();
        (await Backend.QueryAsync("events", new IndexQuery("charlie"))).Hits.Select(h => h.Id).Should().Equal("r1");
    }

    [Fact]
    public async Task QueryAsync_Text_RanksTheBestMatchFirstAndReturnsMetadata()
    {
        await Backend.UpsertAsync("events",
        [
            Chunk("ok", "skill my_skill status success phases explore plan apply"),
            Chunk("bad", "skill my_skill status failed failure timeout in verify phase", status: "failed"),
            Chunk("other", "skill docs_skill status success phases read"),
        ]);

        var result = await Backend.QueryAsync("events", new IndexQuery("timeout verify failure", 3));

        result.Hits.Should().NotBeEmpty();
        var top = result.Hits[0];
        top.Id.Should().Be("bad");
        top.Source.Should().Be("events");
        top.SourcePath.Should().Be("a.jsonl");
        top.Metadata.Status.Should().Be("failed");
        top.Metadata.Timestamp.Should().Be(T0);
        top.Metadata.Extra.Should().Contain("note", "kept bad");
        result.Hits.Select(h => h.Score).Should().BeInDescendingOrder();
    }

    [Fact]
    public async Task QueryAsync_Filters_ReturnOnlyMatchingSkillStatusVersionAndTimeRange()
    {
        await Backend.UpsertAsync("events",
        [
            Chunk("a", "verify failed timeout", skill: "s1", status: "failed", version: "v1", day: 1),
            Chunk("b", "verify failed timeout again", skill: "s2", status: "failed", version: "v1", day: 1),
            Chunk("c", "verify failed timeout once more", skill: "s1", status: "success", version: "v1", day: 1),
            Chunk("d", "verify failed timeout later", skill: "s1", status: "failed", version: "v2", day: 1),
            Chunk("e", "verify failed timeout old", skill: "s1", status: "failed", version: "v1", day: -10),
        ]);

        var filter = new IndexFilter { Skill = "s1", Status = "failed", VersionHash = "v1", From = T0, To = T0.AddDays(2) };
        var hits = (await Backend.QueryAsync("events", new IndexQuery("verify timeout", 10) { Filter = filter })).Hits;

        hits.Select(h => h.Id).Should().Equal("a");
    }

    [Fact]
    public async Task QueryAsync_EmptyText_ReturnsFilteredChunksNewestFirst()
    {
        await Backend.UpsertAsync("events", [Chunk("old", "one", day: 1), Chunk("new", "two", day: 3), Chunk("mid", "three", day: 2), Chunk("x", "four", skill: "other", day: 4)]);

        var result = await Backend.QueryAsync("events", new IndexQuery("", 10) { Filter = new IndexFilter { Skill = "my_skill" } });

        result.Mode.Should().Be(IndexSearchMode.Filter);
        result.Hits.Select(h => h.Id).Should().Equal("new", "mid", "old");
    }

    [Fact]
    public async Task QueryAsync_TopK_CutsTheResults()
    {
        await Backend.UpsertAsync("events", [.. Enumerable.Range(0, 8).Select(i => Chunk("c" + i, "timeout number " + i, day: i))]);

        (await Backend.QueryAsync("events", new IndexQuery("timeout", 3))).Hits.Should().HaveCount(3);
    }

    [Fact]
    public async Task QueryAsync_SourceNeverWritten_ReturnsNoHits()
    {
        var result = await Backend.QueryAsync("nothing_here", new IndexQuery("anything"));

        result.Hits.Should().BeEmpty();
        (await Backend.GetStatsAsync("nothing_here")).Should().Be(new IndexStats("nothing_here", 0, 0, null, null));
    }

    [Fact]
    public async Task DeleteAsync_BySourcePath_RemovesOnlyThatPath()
    {
        await Backend.UpsertAsync("docs", [Chunk("1", "alpha", path: "a.md"), Chunk("2", "alpha beta", path: "b.md"), Chunk("3", "alpha gamma", path: "a.md")]);

        var deleted = await Backend.DeleteAsync("docs", "a.md");

        deleted.Should().Be(2);
        (await Backend.QueryAsync("docs", new IndexQuery("alpha"))).Hits.Select(h => h.Id).Should().Equal("2");
        (await Backend.DeleteAsync("docs")).Should().Be(1);
        (await Backend.GetStatsAsync("docs")).ChunkCount.Should().Be(0);
    }

    [Fact]
    public async Task DropAsync_ExistingSource_RemovesItAndLeavesOthers()
    {
        await Backend.UpsertAsync("events", [Chunk("1", "alpha"), Chunk("2", "beta")]);
        await Backend.UpsertAsync("docs", [Chunk("3", "gamma")]);

        var dropped = await Backend.DropAsync("events");

        dropped.Should().Be(2);
        (await Backend.GetStatsAsync("events")).Exists.Should().BeFalse();
        (await Backend.QueryAsync("events", new IndexQuery("alpha"))).Hits.Should().BeEmpty();
        (await Backend.GetStatsAsync("docs")).ChunkCount.Should().Be(1);
        (await Backend.UpsertAsync("events", [Chunk("1", "alpha")])).Written.Should().Be(1);
    }

    [Fact]
    public async Task RecallOverBackend_RunChunks_RoundTripEveryRunField()
    {
        var run = new RunSummary
        {
            RunId = "r-42",
            Skill = "swe_bench",
            VersionHash = new string('b', 64),
            StartedAt = T0,
            CompletedAt = T0.AddSeconds(43.5),
            Status = RunStatuses.Failed,
            DurationSeconds = 43.5,
            CostUsd = 0.18,
            Phases = ["explore", "verify"],
            Errors = ["test execution \"timeout\""],
            FailedPhase = "verify",
            FailureReason = "test execution \"timeout\"",
            ToolCalls = [new("grep", 3), new("read_file", 5)],
            PromptTokens = 1200,
            CompletionTokens = 300,
            SourcePath = "events/2026-05/r-42.jsonl",
        };
        await Backend.UpsertAsync("events", [RunChunkFormat.ToChunk(run)]);

        var result = await new Recall(Backend).RecallAsync(new RecallRequest { Sources = ["events"], Query = "swe_bench verify timeout", TopK = 5 });
        var back = RunChunkFormat.FromHit(result.Hits.Single());

        back.Should().BeEquivalentTo(run);
    }
}
