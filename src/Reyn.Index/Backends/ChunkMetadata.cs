namespace Reyn.Index;

/// <summary>
/// Metadata stored with a chunk. <see cref="Skill"/>, <see cref="Status"/>, <see cref="VersionHash"/> and
/// <see cref="Timestamp"/> are filterable (<see cref="IndexFilter"/>); <see cref="Extra"/> is returned as stored.
/// </summary>
public sealed record ChunkMetadata
{
    private static readonly IReadOnlyDictionary<string, string> EmptyExtra = new Dictionary<string, string>();

    /// <summary>No metadata.</summary>
    public static ChunkMetadata Empty { get; } = new();

    /// <summary>The skill the chunk describes, if any.</summary>
    public string? Skill { get; init; }

    /// <summary>The run status (<c>success</c>, <c>failed</c>, <c>aborted</c>), if any.</summary>
    public string? Status { get; init; }

    /// <summary>The skill version hash (SHA-256 of the skill definition), if any.</summary>
    public string? VersionHash { get; init; }

    /// <summary>When the described thing happened (a run's start time), if known.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Free-form string fields, returned as stored.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = EmptyExtra;

}
