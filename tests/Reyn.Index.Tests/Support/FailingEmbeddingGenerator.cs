using Microsoft.Extensions.AI;

namespace Reyn.Index.Tests.Support;

/// <summary>An embedding generator whose service is down: every call throws.</summary>
public sealed class FailingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new HttpRequestException("embedding service unavailable (503)");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "hashing-trigram-384", 384) : null;

    public void Dispose()
    {
    }
}
