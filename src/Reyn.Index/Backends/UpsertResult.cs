namespace Reyn.Index;

/// <summary>The outcome of an upsert.</summary>
/// <param name="Written">Chunks inserted or replaced.</param>
/// <param name="Skipped">Chunks whose content hash was already stored (nothing written).</param>
public readonly record struct UpsertResult(int Written, int Skipped);
