using System.Globalization;

namespace Reyn.PostgreSql;

/// <summary>Names and bounds of the activity store's time partitions (<c>activity_events_pYYYYMMDD</c>, UTC).</summary>
internal static class ActivityPartitions
{
    public const string Prefix = "activity_events_p";

    /// <summary>The start (inclusive, UTC midnight) of the partition holding <paramref name="time"/>.</summary>
    public static DateTime StartOf(DateTimeOffset time, ActivityPartitioning partitioning)
    {
        var day = time.UtcDateTime.Date;
        if (partitioning == ActivityPartitioning.Week)
        {
            var offset = ((int)day.DayOfWeek + 6) % 7; // Monday = 0
            day = day.AddDays(-offset);
        }

        return DateTime.SpecifyKind(day, DateTimeKind.Utc);
    }

    public static DateTime EndOf(DateTime start, ActivityPartitioning partitioning) =>
        start.AddDays(partitioning == ActivityPartitioning.Week ? 7 : 1);

    public static string NameOf(DateTime start) => Prefix + start.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Parses the start of a partition from its table name, or null when the name is not one of ours.</summary>
    public static DateTime? TryParseStart(string tableName) =>
        tableName.StartsWith(Prefix, StringComparison.Ordinal) &&
        DateTime.TryParseExact(tableName.AsSpan(Prefix.Length), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            ? DateTime.SpecifyKind(start, DateTimeKind.Utc)
            : null;
}
