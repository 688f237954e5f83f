using Microsoft.Extensions.AI;

namespace Reyn.Index.Tests.Support;

/// <summary>
/// A deterministic embedding generator: lower-cased character trigrams hashed (FNV-1a) into 384 dimensions, L2
/// normalized. Texts that share trigrams get similar vectors, so it behaves like a (weak) real embedding model.
/// </summary>
public sealed class HashingEmbeddingGenerator(string modelId = "hashing-trigram-384", int dimensions = 384) : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    public int TextsEmbedded { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            TextsEmbedded++;
            result.Add(new Embedding<float>(Embed(value, dimensions)) { ModelId = modelId });
        }

        return Task.FromResult(result);
    }

    public static float[] Embed(string text, int dimensions = 384)
    {
        var vector = new float[dimensions];
        var s = " " + text.ToLowerInvariant() + " ";
        for (var i = 0; i + 3 <= s.Length; i++)
        {
            uint hash = 2166136261;
            for (var j = i; j < i + 3; j++)
            {
                hash = (hash ^ s[j]) * 16777619;
            }

            vector[hash % (uint)dimensions] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, modelId, dimensions) : null;

    public void Dispose()
    {
    }
}
