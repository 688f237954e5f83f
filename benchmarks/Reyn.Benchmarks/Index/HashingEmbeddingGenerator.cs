using Microsoft.Extensions.AI;

namespace Reyn.Benchmarks.Index;

/// <summary>The benchmark's embedding generator (see <see cref="IndexBenchData.Embed"/>).</summary>
internal sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string Model = "hashing-trigram-384";

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(IndexBenchData.Embed(v)))));

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("bench", null, Model, 384) : null;

    public void Dispose()
    {
    }
}
