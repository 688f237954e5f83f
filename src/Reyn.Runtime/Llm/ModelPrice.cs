namespace Reyn.Runtime;

/// <summary>The price of one model in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">Prompt tokens not served from the provider's cache.</param>
/// <param name="OutputPerMillion">Completion tokens.</param>
/// <param name="CachedInputPerMillion">Prompt tokens served from cache; <see langword="null"/> = same as input.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion, decimal? CachedInputPerMillion = null)
{
    /// <summary>The cost of one call.</summary>
    public decimal Cost(long promptTokens, long completionTokens, long cachedTokens)
    {
        var cached = Math.Clamp(cachedTokens, 0, promptTokens);
        return (((promptTokens - cached) * InputPerMillion) + (cached * (CachedInputPerMillion ?? InputPerMillion)) + (completionTokens * OutputPerMillion)) / 1_000_000m;
    }
}
