using System.Globalization;
using System.Text.Json;

namespace Reyn.Events.Replay;

/// <summary>
/// Reads the JSONL audit log back as <see cref="ReynEvent"/>s: one file, or a directory recursively in chronological
/// order, filtered by type and time. Blank, torn or garbage lines (and unreadable files) are skipped with a
/// <see cref="ReplayWarning"/> naming <c>file:line</c>; nothing else stops a replay.
/// </summary>
/// <remarks>
/// Files of a directory are ordered by the timestamp of their first readable event (then by path), so run and session
/// files interleave in time order; events inside a file keep file order. Payload values are strings, numbers
/// (<see cref="long"/> or <see cref="double"/>), booleans and <see langword="null"/>; nested objects and arrays stay
/// <see cref="JsonElement"/>s.
/// </remarks>
public sealed class ReplayReader
{
    private readonly ReplayOptions _options;
    private readonly HashSet<string>? _include;
    private readonly HashSet<string> _skip;

    /// <summary>Creates a reader with the given filters.</summary>
    public ReplayReader(ReplayOptions? options = null)
    {
        _options = options ?? new ReplayOptions();
        if (_options.Conversation)
        {
            _include = new HashSet<string>(ReplayOptions.ConversationTypes, StringComparer.Ordinal);
            if (_options.IncludeTypes.Count > 0)
            {
                _include.IntersectWith(_options.IncludeTypes);
            }
        }
        else if (_options.IncludeTypes.Count > 0)
        {
            _include = new HashSet<string>(_options.IncludeTypes, StringComparer.Ordinal);
        }

        _skip = new HashSet<string>(_options.SkipTypes, StringComparer.Ordinal);
    }

    /// <summary>Files read so far.</summary>
    public int FileCount { get; private set; }

    /// <summary>Valid events read so far (before filtering).</summary>
    public long EventCount { get; private set; }

    /// <summary>Events that passed the filters so far.</summary>
    public long MatchedCount { get; private set; }

    /// <summary>Lines skipped with a warning so far.</summary>
    public long SkippedLineCount { get; private set; }

    /// <summary>The <c>.jsonl</c> files under <paramref name="path"/> in replay order, or the file itself.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static IReadOnlyList<string> ResolveFiles(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No file or directory at '{path}'.", path);
        }

        var keyed = new List<(DateTimeOffset First, string Relative, string Full)>();
        foreach (var file in Directory.EnumerateFiles(path, "*.jsonl", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(path, file).Replace('\\', '/');
            keyed.Add((FirstTimestamp(file) ?? DateTimeOffset.MaxValue, relative, file));
        }

        keyed.Sort((a, b) =>
        {
            var byTime = a.First.CompareTo(b.First);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Relative, b.Relative);
        });
        return keyed.ConvertAll(k => k.Full);
    }

    /// <summary>Reads the events under <paramref name="path"/> that pass the filters, reporting skipped lines to <paramref name="onWarning"/>.</summary>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public IEnumerable<ReynEvent> Read(string path, Action<ReplayWarning>? onWarning = null)
    {
        var files = ResolveFiles(path);
        return ReadFiles(files, onWarning);
    }

    /// <summary>Parses one JSONL line into an event; returns the reason when it is not one.</summary>
    public static bool TryParseLine(string line, out ReynEvent? evt, out string? error)
    {
        evt = null;
        if (string.IsNullOrWhiteSpace(line))
        {
            error = "blank line";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"expected a JSON object, found {root.ValueKind}";
                return false;
            }

            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(type.GetString()))
            {
                error = "missing or empty \"type\"";
                return false;
            }

            if (!root.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String ||
                !DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                error = "missing or invalid \"timestamp\" (expected ISO-8601)";
                return false;
            }

            var data = new EventData();
            if (root.TryGetProperty("data", out var payload))
            {
                if (payload.ValueKind != JsonValueKind.Object)
                {
                    error = $"\"data\" must be an object, found {payload.ValueKind}";
                    return false;
                }

                foreach (var property in payload.EnumerateObject())
                {
                    data.Set(property.Name, ToValue(property.Value));
                }
            }

            evt = new ReynEvent(type.GetString()!, timestamp, data);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON (torn or garbage line): {ex.Message}";
            return false;
        }
    }

    private IEnumerable<ReynEvent> ReadFiles(IReadOnlyList<string> files, Action<ReplayWarning>? onWarning)
    {
        foreach (var file in files)
        {
            FileCount++;
            IEnumerator<string>? lines = null;
            try
            {
                lines = File.ReadLines(file).GetEnumerator();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SkippedLineCount++;
                onWarning?.Invoke(new ReplayWarning(file, 0, $"cannot be read: {ex.Message}"));
                continue;
            }

            using (lines)
            {
                var number = 0;
                while (true)
                {
                    string line;
                    try
                    {
                        if (!lines.MoveNext())
                        {
                            break;
                        }

                        line = lines.Current;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        SkippedLineCount++;
                        onWarning?.Invoke(new ReplayWarning(file, number + 1, $"read failed: {ex.Message}"));
                        break;
                    }

                    number++;
                    if (!TryParseLine(line, out var evt, out var error))
                    {
                        SkippedLineCount++;
                        onWarning?.Invoke(new ReplayWarning(file, number, error!));
                        continue;
                    }

                    EventCount++;
                    if (Matches(evt!))
                    {
                        MatchedCount++;
                        yield return evt!;
                    }
                }
            }
        }
    }

    private bool Matches(ReynEvent evt)
    {
        if (_include is not null && !_include.Contains(evt.Type))
        {
            return false;
        }

        if (_skip.Contains(evt.Type))
        {
            return false;
        }

        if (_options.Since is { } since && evt.Timestamp < since)
        {
            return false;
        }

        return _options.Until is not { } until || evt.Timestamp <= until;
    }

    private static DateTimeOffset? FirstTimestamp(string file)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (TryParseLine(line, out var evt, out _))
                {
                    return evt!.Timestamp;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Ordered last; the read reports the problem with file:line.
        }

        return null;
    }

    private static object? ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => element.Clone(),
    };
}
