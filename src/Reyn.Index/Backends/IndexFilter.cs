namespace Reyn.Index;

/// <summary>Metadata filters of a query. Every set field must match (AND); null fields match anything.</summary>
public sealed record IndexFilter
{
    /// <summary>No filter.</summary>
    public static IndexFilter None { get; } = new();

    /// <summary>Exact skill name.</summary>
    public string? Skill { get; init; }

    /// <summary>Exact status (<c>success</c>, <c>failed</c>, <c>aborted</c>).</summary>
    public string? Status { get; init; }

    /// <summary>Exact version hash.</summary>
    public string? VersionHash { get; init; }

    /// <summary>Inclusive lower bound on <see cref="ChunkMetadata.Timestamp"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound on <see cref="ChunkMetadata.Timestamp"/>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Whether no field is set.</summary>
    public bool IsEmpty => Skill is null && Status is null && VersionHash is null && From is null && To is null;

    /// <summary>Whether <paramref name="metadata"/> passes the filter (for backends that filter in memory).</summary>
    public bool Matches(ChunkMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (Skill is not null && !string.Equals(Skill, metadata.Skill, StringComparison.Ordinal))
        {
            return false;
        }

        if (Status is not null && !string.Equals(Status, metadata.Status, StringComparison.Ordinal))
        {
            return false;
        }

        if (VersionHash is not null && !string.Equals(VersionHash, metadata.VersionHash, StringComparison.Ordinal))
        {
            return false;
        }

        if (From is not null && (metadata.Timestamp is null || metadata.Timestamp < From))
        {
            return false;
        }

        return To is null || (metadata.Timestamp is not null && metadata.Timestamp < To);
    }
}
