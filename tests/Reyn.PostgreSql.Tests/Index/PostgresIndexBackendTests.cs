using Reyn.Index;
using Reyn.PostgreSql.Tests.Support;

namespace Reyn.PostgreSql.Tests.Index;

public sealed class PostgresIndexBackendTests : IDisposable
{
    private readonly string _schema = PostgresServer.NewSchema();

    public void Dispose()
    {
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }

    private static IndexChunk Chunk(string id, string text, float[] vector, string model = "m1") =>
        new(id, "a.jsonl", text) { Vector = vector, EmbeddingModel = model };

    [PostgresFact]
    public async Task QueryAsync_VectorOfSameModel_FusesCosineWithTextRanking()
    {
        await using var backend = new PostgresIndexBackend(PostgresServer.ConnectionString!, _schema);
        await backend.UpsertAsync("docs",
        [
            Chunk("north", "the deploy step", [1f, 0f, 0f]),
            Chunk("east", "the deploy step again", [0f, 1f, 0f]),
            Chunk("diag", "nothing in common", [0.7f, 0.7f, 0f]),
        ]);

        var result = await backend.QueryAsync("docs", new IndexQuery("zzz unknown words", 3) { Vector = new[] { 0f, 1f, 0.01f }, EmbeddingModel = "m1" });

        result.Mode.Should().Be(IndexSearchMode.Hybrid);
        result.Hits.Select(h => h.Id).Should().Equal("east", "diag", "north");
        (await backend.GetStatsAsync("docs")).Should().BeEquivalentTo(new { ChunkCount = 3L, VectorCount = 3L, EmbeddingModel = "m1" });
    }

    [PostgresFact]
    public async Task QueryAsync_VectorOfAnotherModel_RanksByTextAndWarns()
    {
        await using var backend = new PostgresIndexBackend(PostgresServer.ConnectionString!, _schema);
        await backend.UpsertAsync("docs", [Chunk("a", "deploy failed", [1f, 0f])]);

        var result = await backend.QueryAsync("docs", new IndexQuery("deploy") { Vector = new[] { 1f, 0f }, EmbeddingModel = "other" });

        result.Mode.Should().Be(IndexSearchMode.Bm25);
        result.Warning.Should().Contain("'m1'").And.Contain("'other'");
        result.Hits.Select(h => h.Id).Should().Equal("a");
    }

    [PostgresFact]
    public async Task UpsertAsync_VectorsOfAnotherModel_ThrowsAndWritesNothing()
    {
        await using var backend = new PostgresIndexBackend(PostgresServer.ConnectionString!, _schema);
        await backend.UpsertAsync("docs", [Chunk("a", "alpha", [1f, 0f])]);

        var act = async () => await backend.UpsertAsync("docs", [Chunk("b", "beta", [0f, 1f], model: "m2")]);

        await act.Should().ThrowAsync<IndexModelMismatchException>();
        (await backend.GetStatsAsync("docs")).ChunkCount.Should().Be(1);
        (await backend.ContainsHashAsync("docs", ContentHash.Of("alpha"))).Should().BeTrue();
        (await backend.ContainsHashAsync("docs", ContentHash.Of("beta"))).Should().BeFalse();
    }

    [Fact]
    public void Constructor_BadSchemaName_SaysHowToFixIt()
    {
        var act = () => new PostgresIndexBackend("Host=127.0.0.1", "drop table;");

        act.Should().Throw<ArgumentException>().WithMessage("*lower-case letters*");
    }
}
