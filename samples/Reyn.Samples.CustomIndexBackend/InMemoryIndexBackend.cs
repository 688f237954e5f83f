using System.Collections.Concurrent;
using Reyn.Index;

namespace Reyn.Samples.CustomIndexBackend;

/// <summary>
/// A complete custom <see cref="IIndexBackend"/> in one small class: chunks in memory, ranked by how many distinct
/// query words they contain (ties: newest first). Vectors are ignored, so every query is answered as BM25-like text
/// ranking. It passes the same contract tests as the SQLite backend.
/// </summary>
public sealed class InMemoryIndexBackend : IIndexBackend
{
    private readonly ConcurrentDictionary<string, List<IndexChunk>> _sources = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<UpsertResult> UpsertAsync(string source, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        SourceName.ThrowIfInvalid(source);
        var list = _sources.GetOrAdd(source, _ => []);
        int written = 0, skipped = 0;
        lock (list)
        {
            foreach (var chunk in chunks)
            {
                if (list.Exists(c => c.ContentHash == chunk.ContentHash))
                {
                    skipped++;
                    continue;
                }

                list.RemoveAll(c => c.Id == chunk.Id);
                list.Add(chunk);
                written++;
            }
        }

        return ValueTask.FromResult(new UpsertResult(written, skipped));
    }

    /// <inheritdoc />
    public ValueTask<int> DeleteAsync(string source, string? sourcePath = null, CancellationToken cancellationToken = default)
    {
        if (!_sources.TryGetValue(source, out var list))
        {
            return ValueTask.FromResult(0);
        }

        lock (list)
        {
            return ValueTask.FromResult(list.RemoveAll(c => sourcePath is null || c.SourcePath == sourcePath));
        }
    }

    /// <inheritdoc />
    public ValueTask<IndexQueryResult> QueryAsync(string source, IndexQuery query, CancellationToken cancellationToken = default)
    {
        var words = Words(query.Text);
        var mode = words.Count == 0 ? IndexSearchMode.Filter : IndexSearchMode.Bm25;
        if (!_sources.TryGetValue(source, out var list))
        {
            return ValueTask.FromResult(IndexQueryResult.Empty(mode));
        }

        List<IndexHit> hits;
        lock (list)
        {
            hits = list
                .Where(c => query.Filter.Matches(c.Metadata))
                .Select(c => new IndexHit(source, c.Id, c.SourcePath, c.Text, c.Metadata, words.Count == 0 ? 0 : Words(c.Text).Count(words.Contains)))
                .Where(h => words.Count == 0 || h.Score > 0)
                .OrderByDescending(h => h.Score)
                .ThenByDescending(h => h.Metadata.Timestamp ?? DateTimeOffset.MinValue)
                .Take(query.TopK)
                .ToList();
        }

        return ValueTask.FromResult(new IndexQueryResult(hits, mode));
    }

    /// <inheritdoc />
    public ValueTask<IndexStats> GetStatsAsync(string source, CancellationToken cancellationToken = default)
    {
        if (!_sources.TryGetValue(source, out var list))
        {
            return ValueTask.FromResult(new IndexStats(source, 0, 0, null, null));
        }

        lock (list)
        {
            return ValueTask.FromResult(new IndexStats(source, list.Count, 0, null, null));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> DropAsync(string source, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_sources.TryRemove(source, out var list) ? (long)list.Count : 0L);

    private static HashSet<string> Words(string text) =>
        [.. System.Text.RegularExpressions.Regex.Split(text.ToLowerInvariant(), @"[^\p{L}\p{Nd}_]+").Where(w => w.Length > 0)];
}
