using Microsoft.Extensions.AI;
using Reyn.Events;
using Reyn.Index.Internal;

namespace Reyn.Index;

/// <summary>
/// recall(sources, query, top_k, filters): searches one or more index sources and merges the hits by score, cut to
/// top-k. An API for hosts and the body of the <c>recall</c> op (the op adapter passes its arguments to
/// <see cref="RecallRequest.TryCreate"/> and returns <see cref="RecallResult"/>).
/// </summary>
/// <remarks>
/// With an embedding generator the query is embedded once and each source ranks hybrid (BM25 + vectors, reciprocal
/// rank fusion); a source built with another model answers BM25 only with a warning. When the generator fails, recall
/// falls back to BM25 everywhere and emits <c>recall_embed_failed</c> through the optional <see cref="EventLog"/>.
/// Missing or invalid arguments return a <see cref="RecallError"/>, never an exception.
/// </remarks>
public sealed class Recall
{
    private readonly IIndexBackend _backend;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _embeddingGenerator;
    private readonly EventLog? _eventLog;

    /// <summary>Creates recall over <paramref name="backend"/>.</summary>
    public Recall(IIndexBackend backend, IEmbeddingGenerator<string, Embedding<float>>? embeddingGenerator = null, EventLog? eventLog = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _embeddingGenerator = embeddingGenerator;
        _eventLog = eventLog;
    }

    /// <summary>Runs recall.</summary>
    public async Task<RecallResult> RecallAsync(RecallRequest request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            return new RecallResult { Error = new RecallError("missing_query", "recall needs a request with 'query' and 'sources'.") };
        }

        if (request.Validate() is { } error)
        {
            return new RecallResult { Error = error };
        }

        var warnings = new List<string>();
        ReadOnlyMemory<float>? vector = null;
        string? model = null;
        if (_embeddingGenerator is not null)
        {
            try
            {
                model = EmbeddingModelName.Of(_embeddingGenerator);
                var embeddings = await _embeddingGenerator.GenerateAsync([request.Query], cancellationToken: cancellationToken).ConfigureAwait(false);
                vector = embeddings[0].Vector;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                warnings.Add($"Embedding the query failed ({ex.GetType().Name}: {ex.Message}); answered with BM25 only.");
                _eventLog?.Emit(EventTypes.RecallEmbedFailed, new EventData
                {
                    ["query"] = request.Query,
                    ["error"] = $"{ex.GetType().Name}: {ex.Message}",
                    ["sources"] = string.Join(",", request.Sources),
                });
                vector = null;
            }
        }

        var merged = new List<IndexHit>();
        int hybrid = 0, bm25 = 0;
        foreach (var source in request.Sources.Distinct(StringComparer.Ordinal))
        {
            var query = new IndexQuery(request.Query, request.TopK) { Filter = request.Filter, Vector = vector, EmbeddingModel = model };
            var result = await _backend.QueryAsync(source, query, cancellationToken).ConfigureAwait(false);
            if (result.Warning is not null)
            {
                warnings.Add(result.Warning);
            }

            if (result.Mode == IndexSearchMode.Hybrid)
            {
                hybrid++;
            }
            else
            {
                bm25++;
            }

            if (result.Hits.Count == 0)
            {
                var stats = await _backend.GetStatsAsync(source, cancellationToken).ConfigureAwait(false);
                if (!stats.Exists)
                {
                    warnings.Add($"Source '{source}' is empty or does not exist. Build it first (for events: 'reyn index events').");
                }
            }

            merged.AddRange(result.Hits);
        }

        // Stable by score: equal scores keep the backends' order (sources in request order, each in its own rank order).
        merged = [.. merged.OrderByDescending(static h => h.Score)];
        if (merged.Count > request.TopK)
        {
            merged.RemoveRange(request.TopK, merged.Count - request.TopK);
        }

        return new RecallResult
        {
            Hits = merged,
            Mode = hybrid > 0 && bm25 > 0 ? "mixed" : hybrid > 0 ? "hybrid" : "bm25",
            Warnings = warnings,
        };
    }
}
