using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Reyn.Index.Internal;

/// <summary>
/// An in-memory BM25 index of one source at one write version that ranks exactly like FTS5's <c>bm25()</c> on
/// <c>chunks_fts</c>, without FTS5's per-query costs (a docsize lookup and position lists per matching row, and a scan of
/// each phrase's whole doclist for its IDF).
/// </summary>
/// <remarks>
/// <para>Everything comes from FTS5's own index, so rows, terms, stemming and lengths are FTS5's: each row's key and
/// token count from <c>chunks_fts_docsize</c> (read when the index is built: one pass, ~25 ms per 100,000 rows), and a
/// term's postings (the rows holding it, ascending, and how often) from an <c>fts5vocab</c> instance table the first
/// time a query needs that term, then kept. A query word of several terms (<c>triage_logs</c>) is a phrase, as in FTS5:
/// its postings are the rows holding the terms at consecutive offsets, and how often, built from the terms' offsets.
/// Memory grows with the distinct terms queried (~2 MB for the benchmark query on 100,000 run chunks, ~40 MB if every
/// term is). Filters are checked against the source's <see cref="ChunkColumns"/>, read only once a query filters.</para>
/// <para>Score of a row for phrases p₁…pₘ (one per query word), as <c>fts5Bm25Function</c> in SQLite's <c>fts5_aux.c</c>:
/// Σᵢ idfᵢ · fᵢ·(k1+1) / (fᵢ + k1·(1 − b + b·D/avgdl)) with k1 = 1.2, b = 0.75, D the row's token count, avgdl the
/// total token count over the row count N, idfᵢ = ln((N − nᵢ + 0.5)/(nᵢ + 0.5)) (1e-6 when ≤ 0), nᵢ the rows holding
/// pᵢ, summed in phrase order (a term given twice counts once per phrase, as in FTS5).</para>
/// <para>Order: score descending, then primary key ascending (the order FTS5's rowid-ascending scan gives equal scores).</para>
/// </remarks>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly ConcurrentDictionary<string, Postings> _postings = new(StringComparer.Ordinal);
    private readonly int[] _rowLengths;
    private readonly double _averageLength;

    // The last ChunkColumns found to hold exactly Keys, so the check runs once per columns instance.
    private ChunkColumns? _linedUpColumns;

    private Bm25Index(long version, long[] keys, int[] rowLengths, long totalTokens)
    {
        Version = version;
        Keys = keys;
        _rowLengths = rowLengths;
        _averageLength = (double)totalTokens / keys.Length;
    }

    /// <summary>The source's <c>write_version</c> this index was read at.</summary>
    public long Version { get; }

    /// <summary>FTS5's rowids (the chunks' primary keys), ascending: row <c>i</c> of the postings is <c>Keys[i]</c>.</summary>
    public long[] Keys { get; }

    /// <summary>
    /// Reads every row's key and token count. Call in a read transaction that read <paramref name="version"/>; null when
    /// FTS5's table is not one this class can rank like FTS5 (then the caller ranks with FTS5 itself).
    /// </summary>
    public static Bm25Index? Load(SqliteConnection connection, long version)
    {
        if (!IsDeclaredAsThisBackendDeclaresIt(connection))
        {
            return null;
        }

        var keys = new List<long>();
        var rowLengths = new List<int>();
        long totalTokens = 0;
        using var statement = Prepare(connection, "SELECT id, sz FROM chunks_fts_docsize");
        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            // One varint per column (chunks_fts has one), FTS5's record format: 7 bits a byte, high bit = more follow.
            var size = raw.sqlite3_column_blob(statement, 1);
            var length = 0;
            var i = 0;
            for (; i < size.Length && i < 4; i++)
            {
                length = (length << 7) | (size[i] & 0x7F);
                if ((size[i] & 0x80) == 0)
                {
                    break;
                }
            }

            if (i >= size.Length || i == 4)
            {
                return null; // not one varint below 2^28: not the record format this class reads
            }

            keys.Add(raw.sqlite3_column_int64(statement, 0));
            rowLengths.Add(length);
            totalTokens += length;
        }

        ThrowUnlessDone(connection, rc);
        return new Bm25Index(version, [.. keys], [.. rowLengths], totalTokens);
    }

    /// <summary>
    /// Whether <c>chunks_fts</c> is declared exactly as <see cref="SqliteIndexBackend"/> declares it: query words become
    /// terms with that tokenizer, and the docsize table and full position lists this class reads exist only with the
    /// default <c>columnsize</c> and <c>detail</c>. A table declared otherwise (a database from elsewhere) is ranked by FTS5.
    /// </summary>
    private static bool IsDeclaredAsThisBackendDeclaresIt(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'chunks_fts'";
        return cmd.ExecuteScalar() is string sql
            && string.Equals(sql, $"CREATE VIRTUAL TABLE chunks_fts USING fts5({SqliteIndexBackend.FtsTableArguments})", StringComparison.Ordinal);
    }

    /// <summary>
    /// The best <paramref name="limit"/> (pk, score) pairs for the <paramref name="phrases"/> (the FTS5 terms of each
    /// query word, in order) among rows passing <paramref name="filter"/>, as <c>SqliteIndexBackend</c> ranks with
    /// FTS5: rows holding every phrase first; only when those are fewer than the limit, rows holding any phrase (a
    /// superset with the same scores, so its top is the answer). Postings not yet in memory are read on <paramref name="connection"/>,
    /// which must be in a read transaction at this index's version; <paramref name="columns"/> (same version) are
    /// needed only when the filter is not empty. Null when FTS5's rows do not line up with the chunks (the caller then
    /// ranks with FTS5).
    /// </summary>
    public List<KeyValuePair<long, double>>? Search(SqliteConnection connection, IReadOnlyList<string[]> phrases, ChunkColumns? columns, IndexFilter filter, int limit)
    {
        if (limit <= 0 || phrases.Count == 0 || Keys.Length == 0)
        {
            return [];
        }

        var compiled = ColumnFilter.None;
        if (filter.IsEmpty)
        {
            columns = null;
        }
        else
        {
            if (columns is null || !LinesUpWith(columns))
            {
                return null;
            }

            compiled = columns.Compile(filter);
        }

        var m = phrases.Count;
        var postings = new Postings[m];
        var idf = new double[m];
        var allPresent = true;
        for (var i = 0; i < m; i++)
        {
            if (GetPostings(connection, phrases[i]) is not { } p)
            {
                return null;
            }

            postings[i] = p;
            allPresent &= p.Rows.Length > 0;
            idf[i] = Idf(Keys.Length, p.Rows.Length);
        }

        var top = new TopScores(limit);
        if (allPresent)
        {
            ScoreRowsHoldingAll(postings, idf, columns, compiled, top);
        }

        if (top.Count < limit && m > 1)
        {
            top = new TopScores(limit);
            ScoreRowsHoldingAny(postings, idf, columns, compiled, top);
        }

        return top.ToBestFirst(Keys);
    }

    private bool LinesUpWith(ChunkColumns columns)
    {
        if (ReferenceEquals(Volatile.Read(ref _linedUpColumns), columns))
        {
            return true;
        }

        if (columns.Version != Version || !columns.Keys.AsSpan().SequenceEqual(Keys))
        {
            return false;
        }

        Volatile.Write(ref _linedUpColumns, columns);
        return true;
    }

    private static double Idf(long rows, long holding)
    {
        var idf = Math.Log((rows - holding + 0.5) / (holding + 0.5));
        return idf <= 0.0 ? 1e-6 : idf;
    }

    /// <summary>A term's postings, or a phrase's (cached under its terms joined by spaces, which no term contains).</summary>
    private Postings? GetPostings(SqliteConnection connection, string[] phrase)
    {
        var key = phrase.Length == 1 ? phrase[0] : string.Join(' ', phrase);
        if (_postings.TryGetValue(key, out var postings))
        {
            return postings;
        }

        postings = phrase.Length == 1 ? LoadPostings(connection, phrase[0]) : LoadPhrasePostings(connection, phrase);
        return postings is null ? null : _postings.GetOrAdd(key, postings);
    }

    /// <summary>One row per stored instance of the term, by row then offset: equal neighbours are one posting.</summary>
    private Postings? LoadPostings(SqliteConnection connection, string term)
    {
        if (LoadInstances(connection, term) is not { } instances)
        {
            return null;
        }

        var rows = new List<int>();
        var frequencies = new List<int>();
        foreach (var (row, _) in instances)
        {
            AddOccurrence(rows, frequencies, row);
        }

        return new Postings([.. rows], [.. frequencies]);
    }

    /// <summary>
    /// The rows holding <paramref name="phrase"/>'s terms at consecutive offsets, and how many times (each offset of the
    /// first term that starts the whole phrase counts once, overlaps included, as FTS5 counts phrase instances).
    /// </summary>
    private Postings? LoadPhrasePostings(SqliteConnection connection, string[] phrase)
    {
        var offsets = new Dictionary<string, List<(int Row, int Offset)>>(StringComparer.Ordinal);
        foreach (var term in phrase)
        {
            if (!offsets.ContainsKey(term))
            {
                if (LoadInstances(connection, term) is not { } instances)
                {
                    return null;
                }

                offsets[term] = instances;
            }
        }

        var first = offsets[phrase[0]];
        var positions = new HashSet<(int Row, int Offset)>[phrase.Length];
        for (var i = 1; i < phrase.Length; i++)
        {
            positions[i] = [.. offsets[phrase[i]]];
        }

        var rows = new List<int>();
        var frequencies = new List<int>();
        foreach (var (row, offset) in first)
        {
            var whole = true;
            for (var i = 1; i < phrase.Length && whole; i++)
            {
                whole = positions[i].Contains((row, offset + i));
            }

            if (whole)
            {
                AddOccurrence(rows, frequencies, row);
            }
        }

        return new Postings([.. rows], [.. frequencies]);
    }

    /// <summary>Counts one more occurrence in <paramref name="row"/>; occurrences arrive by row, ascending.</summary>
    private static void AddOccurrence(List<int> rows, List<int> frequencies, int row)
    {
        if (rows.Count > 0 && rows[^1] == row)
        {
            frequencies[^1]++;
        }
        else
        {
            rows.Add(row);
            frequencies.Add(1);
        }
    }

    /// <summary>
    /// Every stored instance of <paramref name="term"/> as (row, offset), by row then offset; null when FTS5 holds a row
    /// its docsize table does not, or rows out of order: not an index this class understands.
    /// </summary>
    private List<(int Row, int Offset)>? LoadInstances(SqliteConnection connection, string term)
    {
        using (var create = connection.CreateCommand())
        {
            // TEMP objects live per connection, and pooled connections come and go.
            create.CommandText = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.reyn_chunks_vocab USING fts5vocab(main, chunks_fts, instance)";
            create.ExecuteNonQuery();
        }

        var keys = Keys;
        var instances = new List<(int Row, int Offset)>();
        var row = -1;
        using var statement = Prepare(connection, "SELECT doc, offset FROM temp.reyn_chunks_vocab WHERE term = ?1");
        raw.sqlite3_bind_text(statement, 1, term);
        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            var key = raw.sqlite3_column_int64(statement, 0);
            if (row < 0 || keys[row] != key)
            {
                row = Gallop(keys, row + 1, key);
                if (row >= keys.Length || keys[row] != key)
                {
                    return null;
                }
            }

            instances.Add((row, raw.sqlite3_column_int(statement, 1)));
        }

        ThrowUnlessDone(connection, rc);
        return instances;
    }

    /// <summary>Leapfrog intersection: every cursor gallops to the largest row any cursor is on until all agree.</summary>
    private void ScoreRowsHoldingAll(Postings[] postings, double[] idf, ChunkColumns? columns, ColumnFilter filter, TopScores top)
    {
        var m = postings.Length;
        var cursors = new int[m];

        // Visit the shortest lists first: they move the candidate furthest per step.
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => postings[a].Rows.Length.CompareTo(postings[b].Rows.Length));
        var driver = postings[order[0]].Rows;
        var candidate = driver[0];
        while (true)
        {
            var agreed = true;
            foreach (var i in order)
            {
                var rows = postings[i].Rows;
                var at = Gallop(rows, cursors[i], candidate);
                cursors[i] = at;
                if (at == rows.Length)
                {
                    return;
                }

                if (rows[at] != candidate)
                {
                    candidate = rows[at];
                    agreed = false;
                    break;
                }
            }

            if (!agreed)
            {
                continue;
            }

            if (columns is null || columns.Passes(candidate, filter))
            {
                top.Offer(Score(candidate, postings, cursors, idf), candidate);
            }

            if (++cursors[order[0]] == driver.Length)
            {
                return;
            }

            candidate = driver[cursors[order[0]]];
        }
    }

    /// <summary>Union by row: each step takes the smallest row any cursor is on.</summary>
    private void ScoreRowsHoldingAny(Postings[] postings, double[] idf, ChunkColumns? columns, ColumnFilter filter, TopScores top)
    {
        var m = postings.Length;
        var cursors = new int[m];
        while (true)
        {
            var row = int.MaxValue;
            for (var i = 0; i < m; i++)
            {
                var rows = postings[i].Rows;
                if (cursors[i] < rows.Length && rows[cursors[i]] < row)
                {
                    row = rows[cursors[i]];
                }
            }

            if (row == int.MaxValue)
            {
                return;
            }

            if (columns is null || columns.Passes(row, filter))
            {
                top.Offer(Score(row, postings, cursors, idf), row);
            }

            for (var i = 0; i < m; i++)
            {
                var rows = postings[i].Rows;
                if (cursors[i] < rows.Length && rows[cursors[i]] == row)
                {
                    cursors[i]++;
                }
            }
        }
    }

    /// <summary>FTS5's arithmetic in FTS5's order; a phrase not in the row adds exactly zero, so it is skipped.</summary>
    private double Score(int row, Postings[] postings, int[] cursors, double[] idf)
    {
        var lengthNorm = K1 * (1 - B + (B * _rowLengths[row] / _averageLength));
        var score = 0.0;
        for (var i = 0; i < postings.Length; i++)
        {
            var (rows, frequencies) = postings[i];
            var at = cursors[i];
            if (at < rows.Length && rows[at] == row)
            {
                double frequency = frequencies[at];
                score += idf[i] * (frequency * (K1 + 1.0) / (frequency + lengthNorm));
            }
        }

        return score;
    }

    /// <summary>The first index ≥ <paramref name="from"/> whose value is ≥ <paramref name="target"/> in an ascending array (its length if none).</summary>
    private static int Gallop<T>(T[] sorted, int from, T target)
        where T : struct, IComparable<T>
    {
        if (from >= sorted.Length || sorted[from].CompareTo(target) >= 0)
        {
            return from;
        }

        var low = from;
        var step = 1;
        var high = from + 1;
        while (high < sorted.Length && sorted[high].CompareTo(target) < 0)
        {
            low = high;
            step <<= 1;
            high = from + step;
        }

        high = Math.Min(high, sorted.Length);
        var index = Array.BinarySearch(sorted, low + 1, high - low - 1, target);
        return index >= 0 ? index : ~index;
    }

    // SQLitePCL directly: these statements step through up to hundreds of thousands of rows per load, and the raw API
    // reads each docsize blob as a span where Microsoft.Data.Sqlite would allocate an array per row.
    private static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(connection.Handle!, sql, out sqlite3_stmt statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle!).utf8_to_string(), rc);
        }

        return statement;
    }

    private static void ThrowUnlessDone(SqliteConnection connection, int rc)
    {
        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(connection.Handle!).utf8_to_string(), rc);
        }
    }

    /// <summary>A term's rows (ascending) and its frequency in each.</summary>
    private sealed record Postings(int[] Rows, int[] Frequencies);
}
