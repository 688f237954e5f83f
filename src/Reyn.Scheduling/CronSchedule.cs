using System.Diagnostics.CodeAnalysis;
using NCrontab;

namespace Reyn.Scheduling;

/// <summary>
/// A parsed cron expression (NCrontab): 5 fields (<c>minute hour day-of-month month day-of-week</c>) or 6 with seconds
/// first; day and month names (<c>MON</c>, <c>JAN</c>) and the macros <c>@hourly</c>, <c>@daily</c>,
/// <c>@weekly</c>, <c>@monthly</c>, <c>@yearly</c> are accepted.
/// </summary>
/// <remarks>
/// <para><b>Day fields.</b> As in Vixie cron: when both day-of-month and day-of-week are restricted (neither starts
/// with <c>*</c>), a day matches if <i>either</i> matches (<c>0 0 1 * MON</c> = the 1st and every Monday).</para>
/// <para><b>Time zones.</b> The expression is matched against wall-clock time in the job's zone (UTC by default).
/// Across daylight-saving changes every matching wall-clock time fires at most once:</para>
/// <list type="bullet">
/// <item>Spring forward: a wall time that does not exist (02:30 in New York on the change day) fires at the
/// transition instant (03:00 daylight time), the same as Quartz.NET and Vixie cron. Several skipped wall times
/// collapse into one run.</item>
/// <item>Fall back: a wall time that occurs twice fires once, at its first occurrence (daylight time). Quartz.NET
/// also fires the second occurrence for expressions whose hour field lets it walk into the repeated hour
/// (for example <c>0 * * * *</c>); Reyn does not, so an hourly job runs once per wall-clock hour.</item>
/// </list>
/// </remarks>
public sealed class CronSchedule
{
    private const int HorizonYears = 9; // Feb 29 recurs within 8 years (2096 -> 2104).

    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };
    private static readonly CrontabSchedule.ParseOptions WithoutSeconds = new() { IncludingSeconds = false };

    private readonly CrontabSchedule _primary;
    private readonly CrontabSchedule? _dayOfWeekAlternative;

    private CronSchedule(string expression, bool includesSeconds, CrontabSchedule primary, CrontabSchedule? dayOfWeekAlternative)
    {
        Expression = expression;
        IncludesSeconds = includesSeconds;
        _primary = primary;
        _dayOfWeekAlternative = dayOfWeekAlternative;
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>Whether the expression has the 6-field form with seconds first.</summary>
    public bool IncludesSeconds { get; }

    /// <summary>Parses <paramref name="expression"/>.</summary>
    /// <exception cref="FormatException">The expression is not valid; the message says why and how to fix it.</exception>
    public static CronSchedule Parse(string expression)
    {
        if (!TryParse(expression, out var schedule, out var error))
        {
            throw new FormatException(error);
        }

        return schedule;
    }

    /// <summary>Parses <paramref name="expression"/>, or explains in <paramref name="error"/> why it is not valid.</summary>
    public static bool TryParse(
        string? expression,
        [NotNullWhen(true)] out CronSchedule? schedule,
        [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "the schedule is empty. " + FormatHint;
            return false;
        }

        var text = expression.Trim();
        if (text.StartsWith('@'))
        {
            var expanded = ExpandMacro(text);
            if (expanded is null)
            {
                error = $"'{text}' is not a known macro; use @hourly, @daily, @weekly, @monthly or @yearly, or write the 5 fields.";
                return false;
            }

            text = expanded;
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            error = $"'{expression.Trim()}' has {fields.Length} field(s). " + FormatHint;
            return false;
        }

        var includesSeconds = fields.Length == 6;
        var offset = includesSeconds ? 1 : 0;
        var dayOfMonth = fields[offset + 2];
        var dayOfWeek = fields[offset + 4];
        var bothDaysRestricted = !dayOfMonth.StartsWith('*') && !dayOfWeek.StartsWith('*');
        var options = includesSeconds ? WithSeconds : WithoutSeconds;

        string primaryText = text;
        string? alternativeText = null;
        if (bothDaysRestricted)
        {
            fields[offset + 4] = "*";
            primaryText = string.Join(' ', fields);
            fields[offset + 4] = dayOfWeek;
            fields[offset + 2] = "*";
            alternativeText = string.Join(' ', fields);
        }

        if (!TryParseCrontab(text, options, out _, out error)
            || !TryParseCrontab(primaryText, options, out var primary, out error))
        {
            error = $"'{expression.Trim()}' is not a valid cron expression: {error}";
            return false;
        }

        CrontabSchedule? alternative = null;
        if (alternativeText is not null && !TryParseCrontab(alternativeText, options, out alternative, out error))
        {
            error = $"'{expression.Trim()}' is not a valid cron expression: {error}";
            return false;
        }

        var parsed = new CronSchedule(expression.Trim(), includesSeconds, primary!, alternative);
        var probe = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        if (parsed.NextWallTime(probe) is null)
        {
            error = $"'{expression.Trim()}' never matches a date (for example day 30 of February or day 31 of a 30-day month); fix the day-of-month or month field.";
            return false;
        }

        schedule = parsed;
        error = null;
        return true;
    }

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, matched in <paramref name="timeZone"/> (UTC when
    /// null) and returned in UTC; <see langword="null"/> if there is none within nine years.
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after, TimeZoneInfo? timeZone = null)
    {
        var zone = timeZone ?? TimeZoneInfo.Utc;
        if (ReferenceEquals(zone, TimeZoneInfo.Utc) || zone.Id == TimeZoneInfo.Utc.Id)
        {
            var next = NextWallTime(after.UtcDateTime);
            return next is { } utc ? new DateTimeOffset(utc.Ticks, TimeSpan.Zero) : null;
        }

        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        while (true)
        {
            if (NextWallTime(local) is not { } wall)
            {
                return null;
            }

            var instant = ResolveWallTime(wall, zone);
            if (instant > after)
            {
                return instant;
            }

            // A wall time in a repeated (fall-back) hour whose first occurrence is already past: it has fired.
            local = wall;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Expression;

    private const string FormatHint =
        "Use 5 fields \"minute hour day-of-month month day-of-week\" (for example \"0 9 * * MON\") or 6 with seconds first (\"*/30 * * * * *\").";

    private DateTime? NextWallTime(DateTime local)
    {
        var start = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var end = start.AddYears(HorizonYears);
        var next = NextOf(_primary, start, end);
        if (_dayOfWeekAlternative is not null)
        {
            var other = NextOf(_dayOfWeekAlternative, start, end);
            if (other < next)
            {
                next = other;
            }
        }

        return next >= end ? null : next;
    }

    private DateTime NextOf(CrontabSchedule schedule, DateTime start, DateTime end)
    {
        var next = schedule.GetNextOccurrence(start, end);
        if (!IncludesSeconds || next >= end)
        {
            return next;
        }

        // NCrontab 3.3.2 keeps the seconds it found after the base second when it moves on to a later minute
        // ("*/15 7 * * * *" after 22:00:00 gives 22:07:15, not 22:07:00). An answer inside the base minute is right;
        // otherwise search from the base minute's last second, where the seconds wrap to their first value.
        var baseMinute = new DateTime(start.Ticks - (start.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
        if (next < baseMinute.AddMinutes(1))
        {
            return next;
        }

        return schedule.GetNextOccurrence(baseMinute.AddSeconds(59), end);
    }

    private static DateTimeOffset ResolveWallTime(DateTime wall, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wall))
        {
            // Skipped by a spring-forward change: fire at the transition instant (the first valid instant after it).
            var gapStart = new DateTime(wall.Ticks - (wall.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(gapStart.AddMinutes(-1)))
            {
                gapStart = gapStart.AddMinutes(-1);
            }

            var offsetBefore = zone.GetUtcOffset(gapStart.AddMinutes(-1));
            return new DateTimeOffset((gapStart - offsetBefore).Ticks, TimeSpan.Zero);
        }

        if (zone.IsAmbiguousTime(wall))
        {
            // Repeated by a fall-back change: the first occurrence is the one with the larger offset.
            var offsets = zone.GetAmbiguousTimeOffsets(wall);
            var first = offsets[0];
            for (var i = 1; i < offsets.Length; i++)
            {
                if (offsets[i] > first)
                {
                    first = offsets[i];
                }
            }

            return new DateTimeOffset((wall - first).Ticks, TimeSpan.Zero);
        }

        return new DateTimeOffset((wall - zone.GetUtcOffset(wall)).Ticks, TimeSpan.Zero);
    }

    private static bool TryParseCrontab(string text, CrontabSchedule.ParseOptions options, out CrontabSchedule? schedule, out string? error)
    {
        var result = CrontabSchedule.TryParse(text, options, s => (Schedule: s, Error: (string?)null), e => (Schedule: (CrontabSchedule?)null, Error: e().Message));
        schedule = result.Schedule;
        error = result.Error;
        if (error is not null && error.Contains("[DayOfWeek]", StringComparison.Ordinal) && error.Contains('7'))
        {
            error += " Sunday is 0 (or SUN).";
        }

        return schedule is not null;
    }

    private static string? ExpandMacro(string macro) => macro.ToLowerInvariant() switch
    {
        "@yearly" or "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" or "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => null,
    };
}
