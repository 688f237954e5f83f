using System.Text;
using Microsoft.Data.Sqlite;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>Appends the WHERE conditions of an <see cref="ActivityQuery"/> as bound parameters (never spliced text).</summary>
internal static class ActivityFilterSql
{
    public const string Columns = "{0}id, {0}ts_epoch, {0}ts, {0}project, {0}agent, {0}session_id, {0}run_id, {0}source, {0}type, {0}level, {0}summary, {0}data";

    public static string ColumnList(string prefix) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Columns, prefix);

    public static void Append(StringBuilder sql, SqliteCommand command, ActivityQuery query, string prefix, bool includeCursor = true)
    {
        AddEquals(sql, command, prefix + "project", "$project", query.Project);
        AddEquals(sql, command, prefix + "agent", "$agent", query.Agent);
        AddEquals(sql, command, prefix + "session_id", "$session", query.Session);
        AddEquals(sql, command, prefix + "run_id", "$run", query.Run);
        AddEquals(sql, command, prefix + "source", "$source", query.Source);
        if (query.Types.Count > 0)
        {
            sql.Append(" AND ").Append(prefix).Append("type IN (");
            for (var i = 0; i < query.Types.Count; i++)
            {
                var name = "$type" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? string.Empty : ", ").Append(name);
                command.Parameters.AddWithValue(name, query.Types[i]);
            }

            sql.Append(')');
        }

        if (query.MinLevel is { } min && min > EventLevel.Debug)
        {
            sql.Append(" AND ").Append(prefix).Append("level IN (");
            var first = true;
            for (var level = min; level <= EventLevel.Error; level++)
            {
                sql.Append(first ? "'" : ", '").Append(EventCatalog.LevelName(level)).Append('\'');
                first = false;
            }

            sql.Append(')');
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND ").Append(prefix).Append("ts_epoch >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND ").Append(prefix).Append("ts_epoch <= $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }

        if (includeCursor && query.BeforeId is { } before)
        {
            sql.Append(" AND ").Append(prefix).Append("id < $before");
            command.Parameters.AddWithValue("$before", before);
        }
    }

    // Shared with the PostgreSQL store: both select the same columns in the same order.
    public static ActivityRecord ReadRecord(System.Data.Common.DbDataReader reader, bool hasRank) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.GetString(7),
        reader.GetString(8),
        reader.GetString(9),
        reader.GetString(10),
        reader.IsDBNull(11) ? null : reader.GetString(11),
        hasRank && !reader.IsDBNull(12) ? reader.GetDouble(12) : null);

    private static void AddEquals(StringBuilder sql, SqliteCommand command, string column, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(" AND ").Append(column).Append(" = ").Append(name);
        command.Parameters.AddWithValue(name, value);
    }
}
