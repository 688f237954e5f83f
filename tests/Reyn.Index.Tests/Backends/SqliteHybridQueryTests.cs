using System.Globalization;
using System.Numerics.Tensors;
using Reyn.Index.Tests.Support;
using Reyn.Testing;

namespace Reyn.Index.Tests.Backends;

/// <summary>
/// Hybrid recall on a source large enough that the vector scan runs beside the FTS5 query: the fused ranking must equal
/// the one computed independently from the BM25 ranking and a brute-force cosine ranking.
/// </summary>
public sealed class SqliteHybridQueryTests : IDisposable
{
    private const int ChunkCount = 5_000;
    private const int Dimensions = 16;
    private const string Model = "random-16";
    private static readonly string[] Words = ["timeout", "verify", "phase", "plan", "apply", "grep", "edit", "crash", "retry", "budget", "loop", "report"];
    private readonly TempDirectory _dir = new("reyn-sqlite-hybrid");
    private readonly SqliteIndexBackend _backend;
    private readonly float[][] _vectors = new float[ChunkCount][];
    private readonly string[] _skills = new string[ChunkCount];

    public SqliteHybridQueryTests()
    {
        _backend = new SqliteIndexBackend(_dir.Combine("index"));
    }

    public void Dispose() => _dir.Dispose();

    private static string Id(int i) => "c" + i.ToString("00000", CultureInfo.InvariantCulture);

    private async Task FillAsync()
    {
        var random = new Random(11);
        var chunks = new List<IndexChunk>(ChunkCount);
        for (var i = 0; i < ChunkCount; i++)
        {
            var words = Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]);
            _vectors[i] = Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            _skills[i] = "skill_" + (i % 3).ToString(CultureInfo.InvariantCulture);
            var metadata = new ChunkMetadata { Skill = _skills[i], Timestamp = Runs.Day.AddMinutes(i) };
            chunks.Add(new IndexChunk(Id(i), "p", string.Join(' ', words) + " " + Id(i), metadata) { Vector = _vectors[i], EmbeddingModel = Model });
        }

        await _backend.UpsertAsync("events", chunks);
    }

    private List<string> CosineRanking(float[] query, Func<int, bool> passes, int count)
    {
        var q = Normalized(query);
        return Enumerable.Range(0, ChunkCount).Where(passes)
            .Select(i => (Id: Id(i), Similarity: TensorPrimitives.Dot(q, Normalized(_vectors[i]))))
            .OrderByDescending(x => x.Similarity).Take(count).Select(x => x.Id).ToList();
    }

    private static float[] Normalized(float[] vector)
    {
        var copy = (float[])vector.Clone();
        TensorPrimitives.Divide(copy, TensorPrimitives.Norm(copy), copy);
        return copy;
    }

    private static List<(string Id, double Score)> Fuse(IReadOnlyList<IndexHit> bm25, List<string> cosine, int topK)
    {
        var fused = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < bm25.Count; i++)
        {
            fused[bm25[i].Id] = 1.0 / (60 + i + 1);
        }

        for (var i = 0; i < cosine.Count; i++)
        {
            fused[cosine[i]] = fused.GetValueOrDefault(cosine[i]) + (1.0 / (60 + i + 1));
        }

        // Equal scores: the chunk written first (ids are written in order) comes first.
        return fused.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Take(topK).Select(x => (x.Key, x.Value)).ToList();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QueryAsync_HybridOverThousandsOfVectors_EqualsIndependentlyFusedRankings(bool filtered)
    {
        await FillAsync();
        var filter = filtered ? new IndexFilter { Skill = "skill_1", From = Runs.Day.AddMinutes(1_000) } : IndexFilter.None;
        Func<int, bool> passes = filtered ? i => _skills[i] == "skill_1" && i >= 1_000 : _ => true;
        var queryVector = Enumerable.Range(0, Dimensions).Select(d => (float)Math.Sin(d + 1)).ToArray();
        const string text = "verify timeout crash";

        var bm25 = await _backend.QueryAsync("events", new IndexQuery(text, 100) { Filter = filter });
        var hybrid = await _backend.QueryAsync("events", new IndexQuery(text, 10) { Filter = filter, Vector = queryVector, EmbeddingModel = Model });

        bm25.Mode.Should().Be(IndexSearchMode.Bm25);
        bm25.Hits.Should().HaveCount(100);
        hybrid.Mode.Should().Be(IndexSearchMode.Hybrid);
        hybrid.Warning.Should().BeNull();
        var expected = Fuse(bm25.Hits, CosineRanking(queryVector, passes, 100), 10);
        hybrid.Hits.Select(h => h.Id).Should().Equal(expected.Select(x => x.Id));
        hybrid.Hits.Select(h => h.Score).Should().Equal(expected.Select(x => x.Score), (a, b) => Math.Abs(a - b) < 1e-12);
        if (filtered)
        {
            hybrid.Hits.Should().OnlyContain(h => h.Metadata.Skill == "skill_1" && h.Metadata.Timestamp >= Runs.Day.AddMinutes(1_000));
        }
    }
}
