using System.Globalization;

namespace Reyn.Events.Jsonl;

/// <summary>Where the JSONL audit log puts events: <c>&lt;events&gt;/&lt;yyyy-MM&gt;/&lt;run id or session&gt;.jsonl</c>.</summary>
public static class JsonlPaths
{
    /// <summary>Longest file stem (run id or session id) used in a file name.</summary>
    public const int MaxStemLength = 120;

    /// <summary>
    /// The month directory name of <paramref name="runId"/>: the UTC month of its timestamp prefix (see
    /// <see cref="RunIds"/>), else the month of <paramref name="fallback"/> in its own offset.
    /// </summary>
    public static string MonthOf(string? runId, DateTimeOffset fallback) =>
        RunIds.TryGetTimestamp(runId, out var utc)
            ? utc.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : fallback.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The file of run <paramref name="runId"/> under <paramref name="eventsDirectory"/>.</summary>
    public static string RunFile(string eventsDirectory, string runId, DateTimeOffset timestamp) =>
        Path.Combine(eventsDirectory, MonthOf(runId, timestamp), SafeFileStem(runId) + ".jsonl");

    /// <summary>
    /// <paramref name="value"/> reduced to <c>[A-Za-z0-9_.-]</c> (others become <c>_</c>; leading dots too), at most
    /// <see cref="MaxStemLength"/> characters, so that it cannot leave its directory.
    /// </summary>
    public static string SafeFileStem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Math.Min(value.Length, MaxStemLength);
        var result = string.Create(length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (c == '.' && i > 0) ? c : '_';
            }
        });
        return result.Length == 0 ? "_" : result;
    }
}
