using System.Globalization;
using Microsoft.Extensions.AI;
using Reyn.Events;
using Reyn.Index.Internal;

namespace Reyn.Index;

/// <summary>
/// index_events: turns the audit log (<c>&lt;root&gt;/events/**/*.jsonl</c>) into one chunk per completed run in the
/// <c>events</c> source, incrementally.
/// </summary>
/// <remarks>
/// <para>Files are streamed (<see cref="EventRunReader"/>); only open runs are held in memory. The cursor
/// <c>&lt;root&gt;/index/events_cursor</c> holds the latest completion time indexed and is replaced atomically; the next
/// pass opens only files written since and indexes only runs completed since. Unfinished runs are skipped and picked up
/// once complete; <see cref="IndexEventsRequest.Since"/> overrides the cursor; <see cref="IndexEventsMode.Replace"/>
/// rebuilds. Text already indexed is never embedded or written again (content hash).</para>
/// <para>When an embedding generator is given, chunks are embedded in batches and stored with the model name.
/// Emits <c>index_events_completed</c> through the optional <see cref="EventLog"/>.</para>
/// </remarks>
public sealed class EventIndexer
{
    /// <summary>The default source name.</summary>
    public const string DefaultSource = "events";

    /// <summary>The cursor file name under <c>&lt;root&gt;/index/</c>.</summary>
    public const string CursorFileName = "events_cursor";

    private readonly IIndexBackend _backend;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private readonly EventLog? _eventLog;

    /// <summary>Creates an indexer.</summary>
    /// <param name="backend">Where chunks go.</param>
    /// <param name="rootDirectory">The <c>.reyn/</c> root (events under <c>events/</c>, cursor under <c>index/</c>).</param>
    /// <param name="embeddingGenerator">Optional: embeds chunks for hybrid recall.</param>
    /// <param name="eventLog">Optional: receives <c>index_events_completed</c>.</param>
    /// <param name="source">The index source (default <c>events</c>).</param>
    public EventIndexer(IIndexBackend backend, string rootDirectory, IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null, EventLog? eventLog = null, string source = DefaultSource)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        SourceName.ThrowIfInvalid(source);
        _backend = backend;
        _embeddingGenerator = embeddingGenerator;
        _eventLog = eventLog;
        Source = source;
        RootDirectory = Path.GetFullPath(rootDirectory);
        CursorPath = Path.Combine(RootDirectory, "index", CursorFileName);
    }

    /// <summary>The <c>.reyn/</c> root.</summary>
    public string RootDirectory { get; }

    /// <summary>The index source written.</summary>
    public string Source { get; }

    /// <summary>The cursor file.</summary>
    public string CursorPath { get; }

    /// <summary>Chunks per write (and per embedding call). Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>The cursor currently on disk, or null.</summary>
    public DateTimeOffset? ReadCursor() => EventsCursor.Read(CursorPath);

    /// <summary>Runs one pass.</summary>
    /// <exception cref="IndexModelMismatchException">The source holds vectors of another embedding model (nothing written; use replace).</exception>
    public async Task<IndexEventsResult> IndexAsync(IndexEventsRequest? request = null, IProgress<IndexEventsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        request ??= new IndexEventsRequest();
        var cursor = EventsCursor.Read(CursorPath);
        string? model = _embeddingGenerator is null ? null : EmbeddingModelName.Of(_embeddingGenerator);
        if (request.Mode == IndexEventsMode.Replace)
        {
            await _backend.DropAsync(Source, cancellationToken).ConfigureAwait(false);
            cursor = null;
        }
        else if (model is not null)
        {
            var stats = await _backend.GetStatsAsync(Source, cancellationToken).ConfigureAwait(false);
            if (stats.EmbeddingModel is not null && stats.EmbeddingModel != model)
            {
                throw new IndexModelMismatchException(Source, stats.EmbeddingModel, model);
            }
        }

        var since = request.Mode == IndexEventsMode.Replace ? request.Since : request.Since ?? cursor;
        var skills = request.Skills is null ? null : new HashSet<string>(request.Skills, StringComparer.Ordinal);
        var reader = new EventRunReader(Path.Combine(RootDirectory, "events"));
        var batch = new List<IndexChunk>(BatchSize);
        int indexed = 0, filtered = 0, unchanged = 0;
        DateTimeOffset? latest = cursor;
        void OnFile(int done, int total) => progress?.Report(new IndexEventsProgress(done, total, indexed));

        foreach (var run in reader.ReadCompletedRuns(since, OnFile, cancellationToken))
        {
            if ((skills is not null && !skills.Contains(run.Skill)) || (since is not null && IsNotNewer(run.CompletedAt, since.Value, request.Since is null)))
            {
                filtered++;
                continue;
            }

            batch.Add(RunChunkFormat.ToChunk(run));
            if (run.CompletedAt is { } completedAt && (latest is null || completedAt > latest))
            {
                latest = completedAt;
            }

            if (batch.Count >= BatchSize)
            {
                var (w, s) = await FlushAsync(batch, model, cancellationToken).ConfigureAwait(false);
                indexed += w;
                unchanged += s;
                progress?.Report(new IndexEventsProgress(reader.FilesRead, reader.FilesTotal, indexed));
            }
        }

        if (batch.Count > 0)
        {
            var (w, s) = await FlushAsync(batch, model, cancellationToken).ConfigureAwait(false);
            indexed += w;
            unchanged += s;
        }

        if (latest is { } newCursor && newCursor != cursor)
        {
            EventsCursor.Write(CursorPath, newCursor);
        }

        progress?.Report(new IndexEventsProgress(reader.FilesTotal, reader.FilesTotal, indexed));
        var result = new IndexEventsResult
        {
            IndexedRuns = indexed,
            SkippedRuns = reader.UnfinishedRuns,
            FilteredRuns = filtered,
            UnchangedRuns = unchanged,
            Cursor = latest,
            EffectiveSince = since,
            FilesRead = reader.FilesRead,
            SkippedLines = reader.SkippedLines,
        };
        _eventLog?.Emit(EventTypes.IndexEventsCompleted, new EventData
        {
            ["indexed_runs"] = result.IndexedRuns,
            ["skipped_runs"] = result.SkippedRuns,
            ["filtered_runs"] = result.FilteredRuns,
            ["unchanged_runs"] = result.UnchangedRuns,
            ["cursor"] = result.Cursor?.ToString("O", CultureInfo.InvariantCulture),
            ["source"] = Source,
        });
        return result;
    }

    // The cursor excludes runs completed at or before it (only newer runs are read); an explicit since includes its instant.
    private static bool IsNotNewer(DateTimeOffset? completedAt, DateTimeOffset since, bool fromCursor) =>
        completedAt is null || (fromCursor ? completedAt <= since : completedAt < since);

    private async Task<(int Written, int Skipped)> FlushAsync(List<IndexChunk> batch, string? model, CancellationToken cancellationToken)
    {
        var skipped = 0;
        var pending = batch;
        if (_embeddingGenerator is not null && _backend is IContentHashLookup lookup)
        {
            // The index is its own checkpoint: never pay to embed text that is already stored.
            pending = new List<IndexChunk>(batch.Count);
            foreach (var chunk in batch)
            {
                if (await lookup.ContainsHashAsync(Source, chunk.ContentHash, cancellationToken).ConfigureAwait(false))
                {
                    skipped++;
                }
                else
                {
                    pending.Add(chunk);
                }
            }
        }

        if (_embeddingGenerator is not null && pending.Count > 0)
        {
            var texts = new string[pending.Count];
            for (var i = 0; i < texts.Length; i++)
            {
                texts[i] = pending[i].Text;
            }

            var embeddings = await _embeddingGenerator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != pending.Count)
            {
                throw new InvalidOperationException(
                    $"The embedding generator returned {embeddings.Count} vectors for {pending.Count} texts; nothing was written. Check the generator.");
            }

            for (var i = 0; i < pending.Count; i++)
            {
                pending[i] = pending[i] with { Vector = embeddings[i].Vector, EmbeddingModel = model };
            }
        }

        var result = pending.Count == 0 ? default : await _backend.UpsertAsync(Source, pending, cancellationToken).ConfigureAwait(false);
        batch.Clear();
        return (result.Written, result.Skipped + skipped);
    }
}
