using System.Globalization;
using Microsoft.Data.Sqlite;
using Reyn.Index.Tests.Support;
using Reyn.Testing;

namespace Reyn.Index.Tests.Backends;

/// <summary>
/// The in-memory BM25 ranking (<see cref="SqliteIndexBackend.InMemoryBm25"/>) against FTS5's <c>bm25()</c> on the same
/// SQLite files: same ids, same order, same scores (1e-9 relative), and fresh results after any write.
/// </summary>
public sealed class SqliteInMemoryBm25Tests : IDisposable
{
    private const double Tolerance = 1e-9;

    private static readonly string[] Vocabulary =
    [
        "timeout", "timeouts", "timed", "verify", "verified", "verifying", "phase", "phases", "test", "tests", "testing",
        "tested", "execution", "executes", "plan", "apply", "report", "grep", "read_file", "edit_file", "crash", "retry",
        "budget", "loop", "café", "Cafe", "naïve", "NAIVE", "ünïcode", "disk", "full", "network", "unreachable", "error",
        "the", "of", "in", "run_id", "2026", "05", "300s", "x86_64", "ok",
    ];

    private static readonly string[] Skills = ["skill_a", "skill_b", "skill_c", "skill_d"];
    private static readonly string[] Statuses = ["success", "failed", "aborted"];
    private static readonly string[] Versions = [new('a', 64), new('b', 64)];

    private static readonly string[] Queries =
    [
        "timeout", "verify", "phase", "test execution timeout in verify phase", "timeouts verified testing",
        "test tests testing", "VERIFY Phase", "cafe", "café naive", "ünicode", "run_id", "x86_64 crash", "2026 05",
        "retry budget loop", "absentword", "absentword timeout", "timeout absentword verify", "the of", "in",
        "disk full network unreachable error", "grep read_file edit_file", "ok", "report plan apply",
        "ab\u0860cd timeout", // a letter .NET knows and older Unicode tables may not: whichever path runs, the same answer
    ];

    private readonly TempDirectory _dir = new("reyn-sqlite-bm25");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string IndexDirectory => _dir.Combine("index");

    private SqliteIndexBackend InMemory() => new(IndexDirectory);

    private SqliteIndexBackend Fts5Only() => new(IndexDirectory) { InMemoryBm25 = false };

    private static IEnumerable<IndexFilter> Filters()
    {
        yield return IndexFilter.None;
        yield return new IndexFilter { Skill = "skill_b" };
        yield return new IndexFilter { Status = "failed" };
        yield return new IndexFilter { VersionHash = Versions[1] };
        yield return new IndexFilter { From = Runs.Day.AddDays(3), To = Runs.Day.AddDays(9) };
        yield return new IndexFilter { Skill = "skill_a", Status = "success", From = Runs.Day.AddDays(2) };
        yield return new IndexFilter { To = Runs.Day.AddDays(1) };
        yield return new IndexFilter { Skill = "no_such_skill" };
    }

    /// <summary>Varied chunks: stems, case, diacritics, repeated words (one 300 times), no tokens at all, NULL metadata.</summary>
    private static List<IndexChunk> Corpus(int count, int seed, string idPrefix, string sourcePath)
    {
        var random = new Random(seed);
        var chunks = new List<IndexChunk>(count);
        for (var i = 0; i < count; i++)
        {
            string text;
            if (i % 97 == 5)
            {
                text = "!!! → ×× " + new string('-', (seed * 2000) + i); // no token: a row FTS5 counts with length 0
            }
            else if (i % 211 == 7)
            {
                text = string.Join(' ', Enumerable.Repeat("timeout", 300)) + " verify " + idPrefix + i.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                var words = Enumerable.Range(0, random.Next(1, 40))
                    .Select(_ => Vocabulary[(int)(Math.Pow(random.NextDouble(), 2) * Vocabulary.Length)]);
                text = string.Join(random.Next(3) == 0 ? ", " : " ", words) + (i % 13 == 0 ? " ab\u0860cd " : " ") + idPrefix + i.ToString(CultureInfo.InvariantCulture);
            }

            var metadata = new ChunkMetadata
            {
                Skill = i % 17 == 0 ? null : Skills[random.Next(Skills.Length)],
                Status = i % 19 == 0 ? null : Statuses[random.Next(Statuses.Length)],
                VersionHash = i % 23 == 0 ? null : Versions[random.Next(Versions.Length)],
                Timestamp = i % 29 == 0 ? null : Runs.Day.AddMinutes(random.Next(0, 14 * 24 * 60)),
            };
            var id = idPrefix + i.ToString("00000", CultureInfo.InvariantCulture);
            chunks.Add(new IndexChunk(id, sourcePath, text, metadata));
        }

        return chunks;
    }

    private static void ShouldRankTheSame(IReadOnlyList<IndexHit> actual, IReadOnlyList<IndexHit> expected, string because)
    {
        actual.Select(h => h.Id).Should().Equal(expected.Select(h => h.Id), because);
        for (var i = 0; i < expected.Count; i++)
        {
            Math.Abs(actual[i].Score - expected[i].Score).Should().BeLessThanOrEqualTo(Tolerance * Math.Abs(expected[i].Score), because);
        }
    }

    /// <summary>Every query × filter × top-k through both paths on the current files; returns how many rankings ran in memory.</summary>
    private static async Task<long> ShouldMatchFts5Async(SqliteIndexBackend inMemory, SqliteIndexBackend fts5, IEnumerable<string> queries, int[] topKs)
    {
        var before = inMemory.InMemoryBm25Rankings;
        foreach (var text in queries)
        {
            foreach (var filter in Filters())
            {
                foreach (var topK in topKs)
                {
                    var query = new IndexQuery(text, topK) { Filter = filter };
                    var expected = await fts5.QueryAsync("events", query);
                    var actual = await inMemory.QueryAsync("events", query);
                    actual.Mode.Should().Be(expected.Mode);
                    ShouldRankTheSame(actual.Hits, expected.Hits, $"query '{text}', filter {filter}, top {topK}");
                }
            }
        }

        fts5.InMemoryBm25Rankings.Should().Be(0);
        return inMemory.InMemoryBm25Rankings - before;
    }

    [Fact]
    public async Task QueryAsync_InMemoryBm25_SameIdsOrderAndScoresAsFts5OnVariedCorpus()
    {
        var writer = InMemory();
        await writer.UpsertAsync("events", Corpus(1500, 1, "a", "p1"));
        await writer.UpsertAsync("events", Corpus(1500, 2, "b", "p2"));
        await writer.DeleteAsync("events", "p1"); // rowid gaps and FTS5 delete markers
        await writer.UpsertAsync("events", Corpus(1500, 3, "c", "p3"));
        await writer.UpsertAsync("events", Corpus(400, 4, "b", "p4")); // same ids as p2, new text: rows updated in place

        var inMemory = InMemory();
        var ranked = await ShouldMatchFts5Async(inMemory, Fts5Only(), Queries, [1, 10, 50, 1000]);

        ranked.Should().BeGreaterThanOrEqualTo((Queries.Length - 1) * Filters().Count() * 4, "every query but possibly the one with a letter unknown to SQLite ran in memory");
    }

    [Theory]
    [InlineData("triage_logs")]
    [InlineData("log_log")]
    [InlineData("triage_logs verify")]
    public async Task QueryAsync_WordOfSeveralTerms_RankedInMemoryAsTheFts5Phrase(string query)
    {
        await InMemory().UpsertAsync("events", [
            new IndexChunk("1", "p", "skill triage_logs ran triage_logs again"),
            new IndexChunk("2", "p", "triage of the logs, then verify"),
            new IndexChunk("3", "p", "logs triage verify"),
            new IndexChunk("4", "p", "log_log_log overlapping"),
            new IndexChunk("5", "p", "triage_logs_triage_logs verify"),
            new IndexChunk("6", "p", "unrelated words only"),
        ]);
        var backend = InMemory();

        var hits = (await backend.QueryAsync("events", new IndexQuery(query, 10))).Hits;

        backend.InMemoryBm25Rankings.Should().Be(1);
        hits.Should().NotBeEmpty();
        ShouldRankTheSame(hits, (await Fts5Only().QueryAsync("events", new IndexQuery(query, 10))).Hits, query);
    }

    [Fact]
    public async Task QueryAsync_InMemoryBm25_ScoresAreFts5Bm25OfTheFullRanking()
    {
        var backend = InMemory();
        await backend.UpsertAsync("events", Corpus(2000, 5, "a", "p"));

        foreach (var (text, match) in new[] { ("timeout verify", "\"timeout\" AND \"verify\""), ("test execution", "\"test\" OR \"execution\""), ("phase", "\"phase\"") })
        {
            using var connection = new SqliteConnection($"Data Source={backend.GetDatabasePath("events")};Pooling=False");
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT c.id, -bm25(chunks_fts) FROM chunks_fts JOIN chunks c ON c.pk = chunks_fts.rowid WHERE chunks_fts MATCH $q ORDER BY bm25(chunks_fts), c.pk";
            cmd.Parameters.AddWithValue("$q", match);
            var expected = new List<(string Id, double Score)>();
            using (var reader = cmd.ExecuteReader())
            {
                while (reader.Read())
                {
                    expected.Add((reader.GetString(0), reader.GetDouble(1)));
                }
            }

            var hits = (await backend.QueryAsync("events", new IndexQuery(text, expected.Count))).Hits;

            expected.Should().NotBeEmpty();
            hits.Select(h => h.Id).Should().Equal(expected.Select(e => e.Id), text);
            hits.Select(h => h.Score).Should().Equal(expected.Select(e => e.Score), (a, e) => Math.Abs(a - e) <= Tolerance * Math.Abs(e), text);
        }

        backend.InMemoryBm25Rankings.Should().Be(3);
    }

    [Fact]
    public async Task QueryAsync_AnotherInstanceUpsertsDeletesAndRewrites_InMemoryRankingFollowsEveryWrite()
    {
        var reader = InMemory();
        var writer = InMemory();
        string[] queries = ["timeout", "verify phase", "test execution timeout in verify phase", "fresh"];
        await writer.UpsertAsync("events", Corpus(800, 6, "a", "p1"));
        await ShouldMatchFts5Async(reader, Fts5Only(), queries, [10, 200]);

        await writer.UpsertAsync("events", [new IndexChunk("new-1", "p2", "fresh timeout timeout verify phase"), new IndexChunk("new-2", "p2", "fresh chunk")]);
        (await reader.QueryAsync("events", new IndexQuery("fresh"))).Hits.Select(h => h.Id).Should().BeEquivalentTo("new-1", "new-2");
        await ShouldMatchFts5Async(reader, Fts5Only(), queries, [10, 200]);

        await writer.DeleteAsync("events", "p2");
        (await reader.QueryAsync("events", new IndexQuery("fresh"))).Hits.Should().BeEmpty();
        await ShouldMatchFts5Async(reader, Fts5Only(), queries, [10, 200]);

        await writer.UpsertAsync("events", Corpus(300, 7, "a", "p3")); // rewrites a00000-a00299 in place
        await ShouldMatchFts5Async(reader, Fts5Only(), queries, [10, 200]);

        await writer.DeleteAsync("events");
        (await reader.QueryAsync("events", new IndexQuery("timeout"))).Hits.Should().BeEmpty();
        await writer.UpsertAsync("events", [new IndexChunk("again", "p", "timeout again")]);
        (await reader.QueryAsync("events", new IndexQuery("timeout"))).Hits.Select(h => h.Id).Should().Equal("again");
    }

    [Fact]
    public async Task QueryAsync_WriteFromOutsideTheBackend_InMemoryRankingReloads()
    {
        var backend = InMemory();
        await backend.UpsertAsync("events", Corpus(500, 8, "a", "p"));
        (await backend.QueryAsync("events", new IndexQuery("outsider"))).Hits.Should().BeEmpty();

        // What another process's writer does: its own connection, the row (the triggers index it), the version bump.
        using (var connection = new SqliteConnection($"Data Source={backend.GetDatabasePath("events")};Pooling=False"))
        {
            connection.Open();
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                INSERT INTO chunks(id, source_path, content_hash, text) VALUES ('outside-1', 'x', 'h-outside-1', 'outsider timeout verify');
                UPDATE chunks SET text = 'outsider rewritten' WHERE id = 'a00003';
                DELETE FROM chunks WHERE id = 'a00004';
                UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'write_version';
                """;
            cmd.ExecuteNonQuery();
            tx.Commit();
        }

        (await backend.QueryAsync("events", new IndexQuery("outsider"))).Hits.Select(h => h.Id).Should().BeEquivalentTo("outside-1", "a00003");
        await ShouldMatchFts5Async(backend, Fts5Only(), ["outsider", "timeout verify", "rewritten timeout"], [10, 600]);
    }

    [Fact]
    public async Task QueryAsync_DropThenRecreate_InMemoryRankingStartsOver()
    {
        var backend = InMemory();
        await backend.UpsertAsync("events", [new IndexChunk("1", "p", "timeout one")]);
        (await backend.QueryAsync("events", new IndexQuery("timeout"))).Hits.Should().ContainSingle();

        await backend.DropAsync("events");
        await backend.UpsertAsync("events", [new IndexChunk("2", "p", "timeout two"), new IndexChunk("3", "p", "timeout three timeout")]);

        (await backend.QueryAsync("events", new IndexQuery("timeout"))).Hits.Select(h => h.Id).Should().Equal("3", "2");
    }

    [Fact]
    public async Task QueryAsync_SourceAboveInMemoryBm25MaxChunks_RankedByFts5WithTheSameResults()
    {
        await InMemory().UpsertAsync("events", Corpus(600, 9, "a", "p"));
        var capped = new SqliteIndexBackend(IndexDirectory) { InMemoryBm25MaxChunks = 599 };

        var hits = (await capped.QueryAsync("events", new IndexQuery("timeout verify", 50))).Hits;

        capped.InMemoryBm25Rankings.Should().Be(0);
        ShouldRankTheSame(hits, (await Fts5Only().QueryAsync("events", new IndexQuery("timeout verify", 50))).Hits, "the capped source");
    }

    [Theory]
    [InlineData("tokenize=\"unicode61\"")]
    [InlineData("tokenize=\"porter unicode61 tokenchars '_'\", detail=column")]
    [InlineData("tokenize=\"porter unicode61 tokenchars '_'\", columnsize=0")]
    public async Task QueryAsync_FtsTableDeclaredOtherwise_RankedByFts5(string options)
    {
        await InMemory().UpsertAsync("events", [new IndexChunk("1", "p", "timeouts in verify"), new IndexChunk("2", "p", "timeout in verify timeout")]);
        using (var connection = new SqliteConnection($"Data Source={InMemory().GetDatabasePath("events")};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"""
                DROP TABLE chunks_fts;
                CREATE VIRTUAL TABLE chunks_fts USING fts5(text, content='chunks', content_rowid='pk', {options});
                INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
                UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'write_version';
                """;
            cmd.ExecuteNonQuery();
        }

        var backend = InMemory();
        var hits = (await backend.QueryAsync("events", new IndexQuery("timeouts verify"))).Hits;

        backend.InMemoryBm25Rankings.Should().Be(0);
        hits.Should().NotBeEmpty();
        ShouldRankTheSame(hits, (await Fts5Only().QueryAsync("events", new IndexQuery("timeouts verify"))).Hits, options);
    }

    [Fact]
    public async Task QueryAsync_ConcurrentQueriesWhileWriting_EveryAnswerIsAConsistentRanking()
    {
        var backend = InMemory();
        await backend.UpsertAsync("events", Corpus(600, 10, "a", "p0"));
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var answered = 0;
            while (!stop.IsCancellationRequested || answered == 0)
            {
                var hits = (await backend.QueryAsync("events", new IndexQuery(r % 2 == 0 ? "timeout verify" : "phase test", 20))).Hits;
                hits.Select(h => h.Score).Should().BeInDescendingOrder();
                hits.Select(h => h.Id).Should().OnlyHaveUniqueItems();
                answered++;
            }

            return answered;
        })).ToList();

        var writer = InMemory();
        for (var batch = 1; batch <= 5; batch++)
        {
            await writer.UpsertAsync("events", Corpus(100, 10 + batch, "w" + batch.ToString(CultureInfo.InvariantCulture), "p" + batch.ToString(CultureInfo.InvariantCulture)));
        }

        await stop.CancelAsync();
        (await Task.WhenAll(readers)).Should().OnlyContain(n => n > 0);
        await ShouldMatchFts5Async(backend, Fts5Only(), ["timeout verify", "phase test"], [20]);
    }
}
