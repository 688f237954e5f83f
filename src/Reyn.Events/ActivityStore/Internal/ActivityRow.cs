using Microsoft.Data.Sqlite;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>The column values of one event as strings, for writers that bind strings (PostgreSQL, the one-insert-per-event benchmark baseline).</summary>
internal readonly record struct ActivityRow(
    long TimestampMs,
    string Timestamp,
    string? Project,
    string? Agent,
    string? Session,
    string? Run,
    string Source,
    string Type,
    string Level,
    string Summary,
    string Data,
    string Body)
{
    /// <summary>Maps an event to its row through <paramref name="scratch"/> (cleared first; see <see cref="Utf8ActivityRows.Add"/>).</summary>
    public static ActivityRow From(ReynEvent evt, Utf8ActivityRows scratch)
    {
        scratch.Clear();
        scratch.Add(evt);
        return new ActivityRow(
            scratch.TimestampMs(0),
            scratch.GetString(0, ActivityColumn.Timestamp)!,
            scratch.GetString(0, ActivityColumn.Project),
            scratch.GetString(0, ActivityColumn.Agent),
            scratch.GetString(0, ActivityColumn.Session),
            scratch.GetString(0, ActivityColumn.Run),
            scratch.GetString(0, ActivityColumn.Source)!,
            scratch.GetString(0, ActivityColumn.Type)!,
            scratch.GetString(0, ActivityColumn.Level)!,
            scratch.GetString(0, ActivityColumn.Summary)!,
            scratch.GetString(0, ActivityColumn.Data)!,
            scratch.GetString(0, ActivityColumn.Body)!);
    }

    /// <summary>
    /// Sets the row's eleven column values (<c>ts_epoch, ts, project, agent, session_id, run_id, source, type, level,
    /// summary, data</c>, in that order) into <paramref name="parameters"/> from index <paramref name="first"/> on.
    /// </summary>
    public void BindColumns(SqliteParameter[] parameters, int first)
    {
        parameters[first].Value = TimestampMs;
        parameters[first + 1].Value = Timestamp;
        parameters[first + 2].Value = (object?)Project ?? DBNull.Value;
        parameters[first + 3].Value = (object?)Agent ?? DBNull.Value;
        parameters[first + 4].Value = (object?)Session ?? DBNull.Value;
        parameters[first + 5].Value = (object?)Run ?? DBNull.Value;
        parameters[first + 6].Value = Source;
        parameters[first + 7].Value = Type;
        parameters[first + 8].Value = Level;
        parameters[first + 9].Value = Summary;
        parameters[first + 10].Value = Data;
    }
}
