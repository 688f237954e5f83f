namespace Reyn.PostgreSql;

/// <summary>The width of one time partition of the PostgreSQL activity store (retention drops whole partitions).</summary>
public enum ActivityPartitioning
{
    /// <summary>One partition per UTC day.</summary>
    Day = 0,

    /// <summary>One partition per ISO week (Monday to Monday, UTC).</summary>
    Week = 1,
}
