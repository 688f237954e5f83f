namespace Reyn.Index.Internal;

/// <summary>
/// An <see cref="IndexFilter"/> resolved against one <see cref="ChunkColumns"/>: strings replaced by their codes and
/// times by Unix milliseconds, so checking a row is a few integer comparisons. Null fields match anything.
/// </summary>
internal readonly record struct ColumnFilter(int? Skill, int? Status, int? VersionHash, long? From, long? To)
{
    /// <summary>No filter.</summary>
    public static ColumnFilter None => default;

    /// <summary>Whether no field is set.</summary>
    public bool IsEmpty => Skill is null && Status is null && VersionHash is null && From is null && To is null;
}
