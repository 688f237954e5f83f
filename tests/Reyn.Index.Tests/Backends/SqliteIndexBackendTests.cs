using Microsoft.Data.Sqlite;
using Reyn.Index.Tests.Support;
using Reyn.Testing;

namespace Reyn.Index.Tests.Backends;

public sealed class SqliteIndexBackendTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-sqlite-index");

    public void Dispose() => _dir.Dispose();

    private SqliteIndexBackend NewBackend() => new(_dir.Combine("index"));

    private static IndexChunk WithVector(string id, string text, string model = "hashing-trigram-384") =>
        new IndexChunk(id, "p", text, new ChunkMetadata { Skill = "s" }) { Vector = HashingEmbeddingGenerator.Embed(text), EmbeddingModel = model };

    [Fact]
    public async Task UpsertAsync_NewSource_CreatesOneDatabasePerSourceUnderIndexDirectory()
    {
        var backend = NewBackend();

        await backend.UpsertAsync("events", [new IndexChunk("1", "p", "alpha")]);
        await backend.UpsertAsync("docs", [new IndexChunk("1", "p", "beta")]);

        File.Exists(_dir.Combine("index", "events", "index.db")).Should().BeTrue();
        File.Exists(_dir.Combine("index", "docs", "index.db")).Should().BeTrue();
        backend.GetDatabasePath("events").Should().Be(_dir.Combine("index", "events", "index.db"));
    }

    [Fact]
    public async Task UpsertAsync_ThenNewInstance_DataPersistsOnDisk()
    {
        await NewBackend().UpsertAsync("events", [new IndexChunk("1", "p", "persisted timeout chunk")]);

        var hits = (await NewBackend().QueryAsync("events", new IndexQuery("timeout"))).Hits;

        hits.Select(h => h.Text).Should().Equal("persisted timeout chunk");
    }

    [Fact]
    public async Task UpsertAsync_Vectors_StoredAsFloat32BlobsWithModelName()
    {
        var backend = NewBackend();
        var chunk = WithVector("1", "verify phase timeout");

        await backend.UpsertAsync("events", [chunk]);

        using var connection = new SqliteConnection($"Data Source={backend.GetDatabasePath("events")};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT vector, embedding_model, content_hash FROM chunks";
        using var reader = cmd.ExecuteReader();
        reader.Read().Should().BeTrue();
        var blob = (byte[])reader.GetValue(0);
        blob.Length.Should().Be(384 * sizeof(float));
        BitConverter.ToSingle(blob, 0).Should().Be(chunk.Vector!.Value.Span[0]);
        reader.GetString(1).Should().Be("hashing-trigram-384");
        reader.GetString(2).Should().Be(ContentHash.Of("verify phase timeout"));
        var stats = await backend.GetStatsAsync("events");
        stats.EmbeddingModel.Should().Be("hashing-trigram-384");
        stats.VectorCount.Should().Be(1);
    }

    [Theory]
    [InlineData(true, "triage", "skill: triage_logs\nstatus: success", "skill: deploy_site\nstatus: success")] // a word of an identifier
    [InlineData(false, "triage", "skill: triage_logs\nstatus: success", "skill: deploy_site\nstatus: success")]
    [InlineData(true, "timeo", "phase verify: timeout after 300s", "phase build: disk full")] // typed in part: prefix, as no chunk holds it whole
    [InlineData(false, "timeo", "phase verify: timeout after 300s", "phase build: disk full")]
    public async Task QueryAsync_WordOfAnIdentifierOrTypedInPart_FindsTheChunk(bool inMemoryBm25, string query, string hit, string other)
    {
        var backend = new SqliteIndexBackend(_dir.Combine("index")) { InMemoryBm25 = inMemoryBm25 };
        await backend.UpsertAsync("events", [new IndexChunk("hit", "p", hit), new IndexChunk("other", "p", other)]);

        var hits = (await backend.QueryAsync("events", new IndexQuery(query, 5))).Hits;

        hits.Select(h => h.Id).Should().Equal("hit");
        hits[0].Score.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task QueryAsync_Identifier_MatchesItsWordsAsAPhrase()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [
            new IndexChunk("identifier", "p", "skill: triage_logs"),
            new IndexChunk("apart", "p", "triage of the nightly logs"),
        ]);

        (await backend.QueryAsync("events", new IndexQuery("triage_logs", 5))).Hits.Select(h => h.Id).Should().Equal("identifier");
        (await backend.QueryAsync("events", new IndexQuery("triage logs", 5))).Hits.Select(h => h.Id).Should().BeEquivalentTo(["identifier", "apart"]);
    }

    [Fact]
    public async Task QueryAsync_SomeChunkHoldsTheWordWhole_PrefixMatchesNotAdded()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [
            new IndexChunk("whole", "p", "time budget exceeded"),
            new IndexChunk("prefix", "p", "timeout in verify"),
        ]);

        var hits = (await backend.QueryAsync("events", new IndexQuery("time", 5))).Hits;

        hits.Select(h => h.Id).Should().Equal("whole");
    }

    [Fact]
    public async Task Open_IndexWithThePreviousTokenizer_IsRedeclaredAndRebuiltOnce()
    {
        var path = NewBackend().GetDatabasePath("events");
        await NewBackend().UpsertAsync("events", [new IndexChunk("triage", "p", "skill: triage_logs"), new IndexChunk("deploy", "p", "skill: deploy_site")]);
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                DROP TABLE chunks_fts;
                CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='chunks', content_rowid='pk', tokenize="porter unicode61 tokenchars '_'");
                INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
                """;
            cmd.ExecuteNonQuery();
        }

        var backend = NewBackend();
        var hits = (await backend.QueryAsync("events", new IndexQuery("triage", 5))).Hits;

        hits.Select(h => h.Id).Should().Equal("triage");
        backend.InMemoryBm25Rankings.Should().Be(1, "the re-declared table is the current declaration, which the in-memory ranking reads");
        Scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'chunks_fts'").Should().NotContain("tokenchars");
        var version = Scalar(path, "SELECT value FROM meta WHERE key = 'write_version'");
        (await NewBackend().QueryAsync("events", new IndexQuery("deploy", 5))).Hits.Select(h => h.Id).Should().Equal("deploy");
        Scalar(path, "SELECT value FROM meta WHERE key = 'write_version'").Should().Be(version, "a file already upgraded is left alone");
    }

    private static string Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (string)cmd.ExecuteScalar()!;
    }

    [Theory]
    [InlineData("tr")]
    [InlineData("tr_")]
    public async Task QueryAsync_ShortWordFindsNothingWhole_NoPrefixSearch(string word)
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [new IndexChunk("identifier", "p", "skill: triage_logs")]);

        var hits = (await backend.QueryAsync("events", new IndexQuery(word, 5))).Hits;

        hits.Should().BeEmpty("a one- or two-character prefix would match too much to be a useful fallback");
    }

    [Fact]
    public async Task QueryAsync_VectorOfSameModel_FindsMisspelledQueryThatBm25Misses()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [WithVector("hit", "verification phase timeout exceeded"), WithVector("miss", "documentation index rebuild")]);
        var text = "verificaton phse timout";

        var bm25 = await backend.QueryAsync("events", new IndexQuery(text, 2));
        var hybrid = await backend.QueryAsync("events", new IndexQuery(text, 2) { Vector = HashingEmbeddingGenerator.Embed(text), EmbeddingModel = "hashing-trigram-384" });

        bm25.Hits.Should().BeEmpty();
        hybrid.Mode.Should().Be(IndexSearchMode.Hybrid);
        hybrid.Warning.Should().BeNull();
        hybrid.Hits[0].Id.Should().Be("hit");
    }

    [Fact]
    public async Task QueryAsync_HybridRanking_FusesBothRankersByReciprocalRank()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [WithVector("both", "verify timeout in phase verify"), WithVector("lexical", "timeout"), WithVector("none", "unrelated text here")]);
        var text = "verify timeout";

        var hybrid = await backend.QueryAsync("events", new IndexQuery(text, 3) { Vector = HashingEmbeddingGenerator.Embed(text), EmbeddingModel = "hashing-trigram-384" });

        hybrid.Hits[0].Id.Should().Be("both");
        // Ranked first by both rankers: 2 / (60 + 1).
        hybrid.Hits[0].Score.Should().BeApproximately(2.0 / 61, 1e-12);
    }

    [Fact]
    public async Task QueryAsync_VectorOfAnotherModel_AnswersBm25OnlyWithWarning()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [WithVector("1", "verify timeout")]);

        var result = await backend.QueryAsync("events", new IndexQuery("verify") { Vector = HashingEmbeddingGenerator.Embed("verify"), EmbeddingModel = "other-model" });

        result.Mode.Should().Be(IndexSearchMode.Bm25);
        result.Warning.Should().Contain("hashing-trigram-384").And.Contain("other-model").And.Contain("--mode replace");
        result.Hits.Select(h => h.Id).Should().Equal("1");
    }

    [Fact]
    public async Task UpsertAsync_VectorsOfAnotherModel_ThrowsAndWritesNothing()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [WithVector("1", "first text")]);

        var act = async () => await backend.UpsertAsync("events", [new IndexChunk("2", "p", "plain text"), WithVector("3", "second text", model: "other-model")]);

        (await act.Should().ThrowAsync<IndexModelMismatchException>()).Which.Message.Should().Contain("replace");
        (await backend.GetStatsAsync("events")).ChunkCount.Should().Be(1);
    }

    [Fact]
    public async Task QueryAsync_AfterMoreWrites_VectorCacheSeesNewChunks()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [WithVector("1", "alpha timeout")]);
        var q = new IndexQuery("zulu", 5) { Vector = HashingEmbeddingGenerator.Embed("zulu"), EmbeddingModel = "hashing-trigram-384" };
        await backend.QueryAsync("events", q);

        await backend.UpsertAsync("events", [WithVector("2", "zulu zulu")]);
        var result = await backend.QueryAsync("events", q);

        result.Hits[0].Id.Should().Be("2");
    }

    [Fact]
    public async Task QueryAsync_QueryWithFtsSyntax_IsTreatedAsPlainWords()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [new IndexChunk("1", "p", "error: \"quoted\" NEAR(thing) col:value")]);

        var result = await backend.QueryAsync("events", new IndexQuery("\"quoted\" NEAR( col:value AND OR *"));

        result.Hits.Select(h => h.Id).Should().Equal("1");
    }

    [Fact]
    public async Task QueryAsync_FewChunksHaveEveryWord_TopsUpWithChunksHavingAnyWordByScore()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [new IndexChunk("any", "p", "alpha only here"), new IndexChunk("all", "p", "alpha and beta together"), new IndexChunk("none", "p", "gamma")]);

        var hits = (await backend.QueryAsync("events", new IndexQuery("the alpha beta", 5))).Hits;

        hits.Select(h => h.Id).Should().Equal("all", "any");
        hits[0].Score.Should().BeGreaterThan(hits[1].Score);
    }

    [Fact]
    public async Task QueryAsync_OnlyStopWords_StillSearchesThem()
    {
        var backend = NewBackend();
        await backend.UpsertAsync("events", [new IndexChunk("1", "p", "what is this")]);

        (await backend.QueryAsync("events", new IndexQuery("what is"))).Hits.Select(h => h.Id).Should().Equal("1");
    }

    [Fact]
    public void GetDatabasePath_InvalidSourceName_ThrowsWithFix()
    {
        var act = () => NewBackend().GetDatabasePath("../escape");

        act.Should().Throw<ArgumentException>().WithMessage("*letters, digits*");
    }
}
