using System.Globalization;

namespace Reyn.Events.ActivityStore;

/// <summary>Parses the time bounds of queries: a relative age (<c>30m</c>, <c>24h</c>, <c>7d</c>) or an ISO-8601 date/time.</summary>
public static class ActivityTime
{
    /// <summary>
    /// Parses <paramref name="text"/>: <c>&lt;n&gt;s|m|h|d|w</c> means that long before <paramref name="now"/>;
    /// otherwise an ISO-8601 date or date-time (UTC when it has no offset).
    /// </summary>
    /// <exception cref="FormatException">The text is neither; the message says what is accepted.</exception>
    public static DateTimeOffset Parse(string text, DateTimeOffset now)
    {
        if (TryParse(text, now, out var value))
        {
            return value;
        }

        throw new FormatException(
            $"'{text}' is not a time. Use a relative age such as 30m, 24h or 7d (s, m, h, d, w), " +
            "or an ISO-8601 date or date-time such as 2026-05-01 or 2026-05-01T12:00:00Z.");
    }

    /// <summary>Tries to parse <paramref name="text"/> as <see cref="Parse"/> does.</summary>
    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        var span = text.AsSpan().Trim();
        if (span.Length >= 2 && char.IsAsciiDigit(span[0]))
        {
            var unit = span[^1];
            var digits = span[..^1];
            var allDigits = true;
            foreach (var c in digits)
            {
                allDigits &= char.IsAsciiDigit(c);
            }

            if (allDigits && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                TimeSpan? age = unit switch
                {
                    's' => TimeSpan.FromSeconds(Math.Min(amount, 100L * 365 * 86400)),
                    'm' => TimeSpan.FromMinutes(Math.Min(amount, 100L * 365 * 1440)),
                    'h' => TimeSpan.FromHours(Math.Min(amount, 100L * 365 * 24)),
                    'd' => TimeSpan.FromDays(Math.Min(amount, 100L * 365)),
                    'w' => TimeSpan.FromDays(7 * Math.Min(amount, 100L * 52)),
                    _ => null,
                };
                if (age is { } a)
                {
                    value = now - a;
                    return true;
                }
            }
        }

        if (span.Length >= 10 && char.IsAsciiDigit(span[0]) &&
            DateTimeOffset.TryParse(span, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}
