namespace Reyn.Index;

/// <summary>
/// Optional backend capability: tells whether a content hash is already stored, so writers can skip embedding text
/// that is already indexed (the index is its own checkpoint).
/// </summary>
public interface IContentHashLookup
{
    /// <summary>Whether <paramref name="contentHash"/> is stored in <paramref name="source"/>.</summary>
    ValueTask<bool> ContainsHashAsync(string source, string contentHash, CancellationToken cancellationToken = default);
}
