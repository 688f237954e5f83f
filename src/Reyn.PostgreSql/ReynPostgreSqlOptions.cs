namespace Reyn.PostgreSql;

/// <summary>Options of the PostgreSQL backends (<c>services.AddReynPostgreSql(connectionString)</c>).</summary>
public sealed class ReynPostgreSqlOptions
{
    /// <summary>The Npgsql connection string (for example <c>Host=db;Database=reyn;Username=reyn;Password=...</c>). Required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema the tables live in; created when missing. Default <c>reyn</c>.</summary>
    public string Schema { get; set; } = "reyn";

    /// <summary>How long activity events are kept; whole partitions older than this are dropped. Zero keeps everything. Default 7 days.</summary>
    public TimeSpan ActivityRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The width of an activity partition. Default <see cref="ActivityPartitioning.Day"/>.</summary>
    public ActivityPartitioning ActivityPartitioning { get; set; } = ActivityPartitioning.Day;

    /// <summary>How often the activity sink drops expired partitions. Default one hour.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events the activity sink buffers before it drops (and counts) new ones. Default 65,536.</summary>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Most events written in one transaction. Default 1,024.</summary>
    public int BatchSize { get; set; } = 1024;

    /// <summary>How long the sink waits before it reconnects after a failure. Default 30 seconds.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>WAL kinds accepted besides <c>WalKinds.All</c>.</summary>
    public IList<string> ExtraWalKinds { get; } = [];

    /// <summary>Returns a message describing what is wrong and how to fix it, or null when the options are valid.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return "ReynPostgreSqlOptions.ConnectionString is required, for example \"Host=127.0.0.1;Database=reyn;Username=reyn;Password=...\".";
        }

        if (!Internal.PgSchema.IsValid(Schema))
        {
            return $"ReynPostgreSqlOptions.Schema '{Schema}' is not a plain identifier: use 1-63 lower-case letters, digits or '_' (for example \"reyn\").";
        }

        if (ActivityRetention < TimeSpan.Zero)
        {
            return $"ReynPostgreSqlOptions.ActivityRetention must be zero (keep everything) or positive (was {ActivityRetention}).";
        }

        if (QueueCapacity <= 0 || BatchSize <= 0)
        {
            return $"ReynPostgreSqlOptions.QueueCapacity and BatchSize must be positive (were {QueueCapacity} and {BatchSize}).";
        }

        if (RetentionInterval <= TimeSpan.Zero || ReconnectInterval <= TimeSpan.Zero)
        {
            return "ReynPostgreSqlOptions.RetentionInterval and ReconnectInterval must be positive.";
        }

        foreach (var kind in ExtraWalKinds)
        {
            if (!Reyn.State.WalKinds.IsWellFormed(kind))
            {
                return $"ReynPostgreSqlOptions.ExtraWalKinds: '{kind}' is not lowercase snake_case of 1-64 characters.";
            }
        }

        return null;
    }
}
