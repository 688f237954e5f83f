using System.Globalization;
using System.Threading.Channels;
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
        int indexed = 0, unchanged = 0;

        // Two stages on two threads: the producer parses the audit log and builds chunks while this thread writes the
        // previous batches (and embeds them). Steps keep their order, so progress and results are as if sequential.
        var channel = Channel.CreateBounded<Step>(new BoundedChannelOptions(PipelineDepth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var produced = new Produced { Latest = cursor };
        var producer = Task.Run(() => ProduceAsync(reader, request, since, skills, progress is not null, produced, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var step in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (step.Batch is { } batch)
                {
                    var (w, s) = await FlushAsync(batch, model, cancellationToken).ConfigureAwait(false);
                    indexed += w;
                    unchanged += s;
                }

                if (step.Report)
                {
                    progress?.Report(new IndexEventsProgress(step.FilesDone, step.FilesTotal, indexed));
                }
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
            throw;
        }

        await producer.ConfigureAwait(false);
        var filtered = produced.Filtered;
        var latest = produced.Latest;
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

    // Batches handed from the parsing stage to the writing stage; a few keep both threads busy without holding the log.
    private const int PipelineDepth = 4;

    private async Task ProduceAsync(EventRunReader reader, IndexEventsRequest request, DateTimeOffset? since, HashSet<string>? skills,
        bool reportFiles, Produced produced, ChannelWriter<Step> writer, CancellationToken cancellationToken)
    {
        try
        {
            var files = reportFiles ? new List<(int Done, int Total)>() : null;
            var batch = new List<IndexChunk>(BatchSize);
            void OnFile(int done, int total) => files?.Add((done, total));

            foreach (var run in reader.ReadCompletedRuns(since, OnFile, cancellationToken))
            {
                await WriteFilesAsync(files, writer, cancellationToken).ConfigureAwait(false);
                if ((skills is not null && !skills.Contains(run.Skill)) || (since is not null && IsNotNewer(run.CompletedAt, since.Value, request.Since is null)))
                {
                    produced.Filtered++;
                    continue;
                }

                batch.Add(RunChunkFormat.ToChunk(run));
                if (run.CompletedAt is { } completedAt && (produced.Latest is null || completedAt > produced.Latest))
                {
                    produced.Latest = completedAt;
                }

                if (batch.Count >= BatchSize)
                {
                    await writer.WriteAsync(new Step(batch, true, reader.FilesRead, reader.FilesTotal), cancellationToken).ConfigureAwait(false);
                    batch = new List<IndexChunk>(BatchSize);
                }
            }

            await WriteFilesAsync(files, writer, cancellationToken).ConfigureAwait(false);
            if (batch.Count > 0)
            {
                await writer.WriteAsync(new Step(batch, false, 0, 0), cancellationToken).ConfigureAwait(false);
            }

            writer.TryComplete();
        }
        catch (Exception ex)
        {
            // The writing stage rethrows this exception as is (cancellation, I/O errors).
            writer.TryComplete(ex);
        }
    }

    private static async ValueTask WriteFilesAsync(List<(int Done, int Total)>? files, ChannelWriter<Step> writer, CancellationToken cancellationToken)
    {
        if (files is null || files.Count == 0)
        {
            return;
        }

        foreach (var (done, total) in files)
        {
            await writer.WriteAsync(new Step(null, true, done, total), cancellationToken).ConfigureAwait(false);
        }

        files.Clear();
    }

    /// <summary>One step of the pipeline: a batch to write and/or a progress report to make after it.</summary>
    private readonly record struct Step(List<IndexChunk>? Batch, bool Report, int FilesDone, int FilesTotal);

    /// <summary>What the parsing stage found besides chunks; read once it has finished.</summary>
    private sealed class Produced
    {
        public int Filtered;
        public DateTimeOffset? Latest;
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
