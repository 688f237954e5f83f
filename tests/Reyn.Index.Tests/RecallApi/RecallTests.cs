using System.Text.Json;
using Reyn.Events;
using Reyn.Index.Tests.Support;
using Reyn.Testing;

namespace Reyn.Index.Tests.RecallApi;

public sealed class RecallTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-recall");
    private readonly SqliteIndexBackend _backend;

    public RecallTests() => _backend = new SqliteIndexBackend(_dir.Combine("index"));

    public void Dispose() => _dir.Dispose();

    private static IndexChunk Chunk(string id, string text, bool vector = false) =>
        vector
            ? new IndexChunk(id, "p", text) { Vector = HashingEmbeddingGenerator.Embed(text), EmbeddingModel = "hashing-trigram-384" }
            : new IndexChunk(id, "p", text);

    [Fact]
    public async Task RecallAsync_TwoSources_MergesByScoreAndCutsToTopKGlobally()
    {
        await _backend.UpsertAsync("events", [Chunk("e1", "verify timeout timeout timeout"), Chunk("e2", "verify passed"), Chunk("e3", "timeout once in a long text about many other unrelated things")]);
        await _backend.UpsertAsync("docs", [Chunk("d1", "timeout timeout"), Chunk("d2", "nothing relevant")]);
        var recall = new Index.Recall(_backend);

        var result = await recall.RecallAsync(new RecallRequest { Sources = ["events", "docs"], Query = "timeout", TopK = 3 });

        result.Succeeded.Should().BeTrue();
        result.Mode.Should().Be("bm25");
        result.Hits.Should().HaveCount(3);
        result.Hits.Select(h => h.Source).Should().Contain(["events", "docs"]);
        result.Hits.Select(h => h.Score).Should().BeInDescendingOrder();
        result.Hits.Select(h => h.Id).Should().NotContain(["e2", "d2"]);
    }

    [Fact]
    public async Task RecallAsync_EqualScores_KeepTheBackendOrder()
    {
        // Forty chunks with the same length and one "timeout" each score the same; the backend orders them by insertion.
        var chunks = Enumerable.Range(0, 40).Select(i => Chunk("t" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture), "timeout w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        await _backend.UpsertAsync("events", chunks);

        var result = await new Index.Recall(_backend).RecallAsync(new RecallRequest { Sources = ["events"], Query = "timeout", TopK = 40 });

        result.Hits.Select(h => h.Score).Distinct().Should().ContainSingle();
        result.Hits.Select(h => h.Id).Should().Equal(chunks.Select(c => c.Id));
    }

    [Theory]
    [InlineData(null, "events", "missing_query")]
    [InlineData("  ", "events", "missing_query")]
    [InlineData("timeout", null, "missing_sources")]
    [InlineData("timeout", "../etc", "invalid_source")]
    public async Task RecallAsync_MissingOrInvalidArguments_ReturnsStructuredError(string? query, string? source, string code)
    {
        var request = new RecallRequest { Query = query!, Sources = source is null ? [] : [source] };

        var result = await new Index.Recall(_backend).RecallAsync(request);

        result.Succeeded.Should().BeFalse();
        result.Error!.Code.Should().Be(code);
        result.Error.Message.Should().NotBeNullOrWhiteSpace();
        result.Hits.Should().BeEmpty();
    }

    [Fact]
    public void TryCreate_JsonArguments_BuildsRequestWithFilters()
    {
        using var doc = JsonDocument.Parse("""{"query":"failures in verify","sources":["events"],"top_k":5,"filters":{"skill":"my_skill","status":"failed","since":"2026-05-01T00:00:00Z"}}""");
        var args = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        RecallRequest.TryCreate(args, out var request, out var error).Should().BeTrue();

        error.Should().BeNull();
        request.Query.Should().Be("failures in verify");
        request.Sources.Should().Equal("events");
        request.TopK.Should().Be(5);
        request.Filter.Should().Be(new IndexFilter { Skill = "my_skill", Status = "failed", From = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero) });
    }

    [Theory]
    [InlineData("""{"query":"x"}""", "missing_sources")]
    [InlineData("""{"sources":["events"]}""", "missing_query")]
    [InlineData("""{"query":"x","sources":["events"],"top_k":"ten"}""", "invalid_top_k")]
    [InlineData("""{"query":"x","sources":["events"],"top_k":0}""", "invalid_top_k")]
    [InlineData("""{"query":"x","sources":["events"],"filters":{"colour":"red"}}""", "invalid_filter")]
    [InlineData("""{"query":"x","sources":["events"],"filters":{"since":"last tuesday"}}""", "invalid_filter")]
    [InlineData("""{"query":"x","sources":["events"],"filters":"skill=x"}""", "invalid_filter")]
    public void TryCreate_BadArguments_ReturnsStructuredErrorWithoutThrowing(string json, string code)
    {
        using var doc = JsonDocument.Parse(json);
        var args = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        RecallRequest.TryCreate(args, out _, out var error).Should().BeFalse();

        error!.Code.Should().Be(code);
    }

    [Fact]
    public async Task RecallAsync_EmbeddingFails_FallsBackToBm25AndEmitsRecallEmbedFailed()
    {
        await _backend.UpsertAsync("events", [Chunk("1", "verify timeout", vector: true)]);
        var (log, sink) = RecordingEventSink.CreateLog();
        var recall = new Index.Recall(_backend, new FailingEmbeddingGenerator(), log);

        var result = await recall.RecallAsync(new RecallRequest { Sources = ["events"], Query = "verify timeout" });

        result.Succeeded.Should().BeTrue();
        result.Mode.Should().Be("bm25");
        result.Hits.Select(h => h.Id).Should().Equal("1");
        result.Warnings.Should().ContainMatch("*503*");
        var evt = sink.Events.Single(e => e.Type == EventTypes.RecallEmbedFailed);
        evt.Data.GetString("query").Should().Be("verify timeout");
        evt.Data.GetString("error").Should().Contain("503");
    }

    [Fact]
    public async Task RecallAsync_WithGenerator_RanksHybrid()
    {
        await _backend.UpsertAsync("events", [Chunk("1", "verification phase timeout", vector: true), Chunk("2", "docs rebuilt", vector: true)]);

        var result = await new Index.Recall(_backend, new HashingEmbeddingGenerator()).RecallAsync(new RecallRequest { Sources = ["events"], Query = "verificaton timout" });

        result.Mode.Should().Be("hybrid");
        result.Hits[0].Id.Should().Be("1");
        result.Warnings.Should().BeEmpty();
    }

    [Fact]
    public async Task RecallAsync_IndexBuiltWithAnotherModel_ReportsMismatchInsteadOfMixing()
    {
        await _backend.UpsertAsync("events", [Chunk("1", "verify timeout", vector: true)]);

        var result = await new Index.Recall(_backend, new HashingEmbeddingGenerator("text-embedding-3-small")).RecallAsync(new RecallRequest { Sources = ["events"], Query = "verify" });

        result.Mode.Should().Be("bm25");
        result.Warnings.Should().ContainSingle().Which.Should().Contain("hashing-trigram-384").And.Contain("text-embedding-3-small");
        result.Hits.Select(h => h.Id).Should().Equal("1");
    }

    [Fact]
    public async Task RecallAsync_SourceNotIndexed_WarnsHowToBuildIt()
    {
        var result = await new Index.Recall(_backend).RecallAsync(new RecallRequest { Sources = ["events"], Query = "anything" });

        result.Succeeded.Should().BeTrue();
        result.Hits.Should().BeEmpty();
        result.Warnings.Should().ContainSingle().Which.Should().Contain("reyn index events");
    }
}
