using System.Text;
using Microsoft.Data.Sqlite;
using Reyn.Events.ActivityStore.Internal;

namespace Reyn.Events.ActivityStore;

/// <summary>
/// <see cref="IActivityStore"/> over the SQLite file written by <see cref="ActivitySink"/> (<c>.reyn/events.db</c>).
/// Search ranks by BM25 over the FTS5 index and falls back to escaped <c>LIKE</c> when FTS5 is unavailable.
/// </summary>
/// <remarks>
/// A missing file reads as an empty store (nothing is created). An older file is migrated on first use; a file of a
/// newer schema raises <see cref="ActivityStoreException"/> and is left untouched. Safe to use from several threads.
/// </remarks>
public sealed class SqliteActivityStore : IActivityStore
{
    private readonly ActivityStoreOptions _options;
    private readonly TimeProvider _time;
    private volatile bool _schemaReady;
    private volatile bool _ftsEnabled;

    /// <summary>Creates a store over the database file at <paramref name="path"/>.</summary>
    public SqliteActivityStore(string path, ActivityStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _options = options ?? new ActivityStoreOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ValueTask<ActivityPage> ListAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = TryOpen();
        if (connection is null)
        {
            return ValueTask.FromResult(ActivityPage.Empty);
        }

        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ").Append(ActivityFilterSql.ColumnList(string.Empty)).Append(" FROM activity_events WHERE 1 = 1");
        ActivityFilterSql.Append(sql, command, query, string.Empty);
        sql.Append(" ORDER BY id DESC LIMIT $limit;");
        command.Parameters.AddWithValue("$limit", query.EffectiveLimit);
        command.CommandText = sql.ToString();
        var events = Read(command, hasRank: false);
        return ValueTask.FromResult(new ActivityPage(events, _ftsEnabled, fallbackUsed: false, ReadDropped(connection)));
    }

    /// <inheritdoc />
    public ValueTask<ActivityPage> SearchAsync(string text, ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var terms = SearchTerms.Parse(text);
        using var connection = TryOpen();
        if (connection is null)
        {
            return ValueTask.FromResult(ActivityPage.Empty);
        }

        var fts = _ftsEnabled;
        if (terms.IsEmpty)
        {
            return ValueTask.FromResult(new ActivityPage([], fts, !fts, ReadDropped(connection)));
        }

        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ");
        if (fts)
        {
            // Rank inside the FTS query, then fetch whole rows for the top `limit` only: fetching every candidate's data
            // before the sort cost more than ranking it.
            var match = terms.ToFtsQuery();
            command.Parameters.AddWithValue("$match", match);
            sql.Append(ActivityFilterSql.ColumnList("ae.")).Append(", top.rank AS rank FROM (");
            if (IsFiltered(query))
            {
                // One pass: the newest window of matches that pass the filters, ranked. (Finding the window's start
                // first would join every candidate row twice.)
                sql.Append("SELECT id, rank FROM (SELECT activity_events_fts.rowid AS id, activity_events_fts.rank AS rank")
                    .Append(" FROM activity_events_fts JOIN activity_events ae ON ae.id = activity_events_fts.rowid")
                    .Append(" WHERE activity_events_fts MATCH $match");
                ActivityFilterSql.Append(sql, command, query, "ae.");
                sql.Append(" ORDER BY activity_events_fts.rowid DESC");
                if (_options.SearchCandidateWindow > 0)
                {
                    sql.Append(" LIMIT $window");
                    command.Parameters.AddWithValue("$window", _options.SearchCandidateWindow);
                }

                sql.Append(") ORDER BY rank, id DESC LIMIT $limit");
            }
            else
            {
                // Unfiltered: the window's start comes from the doclist alone (no row reads), then only rows from there on are ranked.
                sql.Append("SELECT activity_events_fts.rowid AS id, activity_events_fts.rank AS rank FROM activity_events_fts WHERE activity_events_fts MATCH $match");
                if (WindowStart(connection, match) is { } floor)
                {
                    sql.Append(" AND activity_events_fts.rowid >= $floor");
                    command.Parameters.AddWithValue("$floor", floor);
                }

                sql.Append(" ORDER BY activity_events_fts.rank, activity_events_fts.rowid DESC LIMIT $limit");
            }

            sql.Append(") top JOIN activity_events ae ON ae.id = top.id ORDER BY top.rank, ae.id DESC;");
        }
        else
        {
            sql.Append(ActivityFilterSql.ColumnList("ae.")).Append(", NULL AS rank FROM activity_events ae WHERE 1 = 1");
            var i = 0;
            foreach (var pattern in terms.ToLikePatterns())
            {
                var name = "$like" + i++.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(" AND (ae.summary LIKE ").Append(name).Append(" ESCAPE '\\' OR ae.data LIKE ").Append(name).Append(" ESCAPE '\\')");
                command.Parameters.AddWithValue(name, pattern);
            }

            ActivityFilterSql.Append(sql, command, query, "ae.");
            sql.Append(" ORDER BY ae.id DESC LIMIT $limit;");
        }

        command.Parameters.AddWithValue("$limit", query.EffectiveLimit);
        command.CommandText = sql.ToString();
        var events = Read(command, hasRank: fts);
        return ValueTask.FromResult(new ActivityPage(events, fts, fallbackUsed: !fts, ReadDropped(connection)));
    }

    /// <inheritdoc />
    public ValueTask<ActivityStats> GetStatsAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var end = query.Until ?? _time.GetUtcNow();
        var start = query.Since ?? end - TimeSpan.FromHours(24);
        using var connection = TryOpen();
        if (connection is null)
        {
            return ValueTask.FromResult(new ActivityStats
            {
                Total = 0,
                DroppedEventCount = 0,
                ByType = [],
                BySource = [],
                ByLevel = [],
                WindowStart = start,
                WindowEnd = end,
                Hourly = Histogram(start, end, new Dictionary<long, long>()),
            });
        }

        long total;
        DateTimeOffset? oldest = null, newest = null;
        using (var command = connection.CreateCommand())
        {
            var sql = new StringBuilder("SELECT COUNT(*), MIN(ts_epoch), MAX(ts_epoch) FROM activity_events WHERE 1 = 1");
            ActivityFilterSql.Append(sql, command, query, string.Empty, includeCursor: false);
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            reader.Read();
            total = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                oldest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
                newest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            }
        }

        var hourly = new Dictionary<long, long>();
        using (var command = connection.CreateCommand())
        {
            var sql = new StringBuilder("SELECT ts_epoch / 3600000 AS hour, COUNT(*) FROM activity_events WHERE ts_epoch >= $wstart AND ts_epoch <= $wend");
            command.Parameters.AddWithValue("$wstart", start.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$wend", end.ToUnixTimeMilliseconds());
            ActivityFilterSql.Append(sql, command, query, string.Empty, includeCursor: false);
            sql.Append(" GROUP BY hour;");
            command.CommandText = sql.ToString();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                hourly[reader.GetInt64(0)] = reader.GetInt64(1);
            }
        }

        return ValueTask.FromResult(new ActivityStats
        {
            Total = total,
            DroppedEventCount = ReadDropped(connection),
            Oldest = oldest,
            Newest = newest,
            ByType = GroupBy(connection, query, "type"),
            BySource = GroupBy(connection, query, "source"),
            ByLevel = GroupBy(connection, query, "level"),
            WindowStart = start,
            WindowEnd = end,
            Hourly = Histogram(start, end, hourly),
            FtsEnabled = _ftsEnabled,
        });
    }

    /// <summary>
    /// The id of the oldest match inside the candidate window of an unfiltered search (the newest
    /// <see cref="ActivityStoreOptions.SearchCandidateWindow"/> matches), or <see langword="null"/> when every match fits.
    /// Walks the FTS doclist newest first without ranking or reading rows.
    /// </summary>
    private long? WindowStart(SqliteConnection connection, string match)
    {
        var window = _options.SearchCandidateWindow;
        if (window <= 0)
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM activity_events_fts WHERE activity_events_fts MATCH $match ORDER BY rowid DESC LIMIT 1 OFFSET $offset;";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$offset", window - 1);
        return command.ExecuteScalar() is long id ? id : null;
    }

    private static bool IsFiltered(ActivityQuery query) =>
        query.Project is not null || query.Agent is not null || query.Session is not null || query.Run is not null ||
        query.Source is not null || query.Types.Count > 0 || query.MinLevel is not null || query.Since is not null ||
        query.Until is not null || query.BeforeId is not null;

    private static List<ActivityHistogramBucket> Histogram(DateTimeOffset start, DateTimeOffset end, Dictionary<long, long> counts)
    {
        const long hourMs = 3_600_000;
        var buckets = new List<ActivityHistogramBucket>();
        var first = start.ToUnixTimeMilliseconds() / hourMs;
        var last = end.ToUnixTimeMilliseconds() / hourMs;
        if (last - first > 24 * 366)
        {
            first = last - (24 * 366);
        }

        for (var hour = first; hour <= last; hour++)
        {
            buckets.Add(new ActivityHistogramBucket(DateTimeOffset.FromUnixTimeMilliseconds(hour * hourMs), counts.GetValueOrDefault(hour)));
        }

        return buckets;
    }

    private static List<ActivityCount> GroupBy(SqliteConnection connection, ActivityQuery query, string column)
    {
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ").Append(column).Append(", COUNT(*) AS n FROM activity_events WHERE 1 = 1");
        ActivityFilterSql.Append(sql, command, query, string.Empty, includeCursor: false);
        sql.Append(" GROUP BY ").Append(column).Append(" ORDER BY n DESC, ").Append(column).Append(';');
        command.CommandText = sql.ToString();
        using var reader = command.ExecuteReader();
        var counts = new List<ActivityCount>();
        while (reader.Read())
        {
            counts.Add(new ActivityCount(reader.GetString(0), reader.GetInt64(1)));
        }

        return counts;
    }

    private static List<ActivityRecord> Read(SqliteCommand command, bool hasRank)
    {
        var events = new List<ActivityRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ActivityFilterSql.ReadRecord(reader, hasRank));
        }

        return events;
    }

    private static long ReadDropped(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM activity_meta WHERE key = 'dropped_events';";
        return command.ExecuteScalar() is long n ? n : 0;
    }

    private SqliteConnection? TryOpen()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        var connection = ActivityConnections.Open(Path, _options.BusyTimeout, create: false);
        try
        {
            if (!_schemaReady)
            {
                _ftsEnabled = ActivitySchema.Ensure(connection, Path, _options.FullTextSearch);
                _schemaReady = true;
            }

            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new ActivityStoreException($"The activity store '{Path}' could not be read: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
