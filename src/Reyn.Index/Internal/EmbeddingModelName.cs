using Microsoft.Extensions.AI;

namespace Reyn.Index.Internal;

/// <summary>The model name recorded with vectors: the generator's default model id, else its type name.</summary>
internal static class EmbeddingModelName
{
    public static string Of(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        return string.IsNullOrWhiteSpace(metadata?.DefaultModelId) ? generator.GetType().Name : metadata.DefaultModelId;
    }
}
