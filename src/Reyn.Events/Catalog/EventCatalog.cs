using System.Collections.Frozen;
using System.Text;

namespace Reyn.Events;

/// <summary>
/// The closed, documented set of event types. Code emits only these types; <c>docs/events.md</c> is generated from
/// this catalog and a test fails when the two drift apart.
/// </summary>
public static partial class EventCatalog
{
    private static readonly EventKind[] Entries = CreateEntries();
    private static readonly FrozenDictionary<string, EventKind> ByType = Entries.ToFrozenDictionary(k => k.Type, StringComparer.Ordinal);

    /// <summary>Every kind, in catalog order (grouped by source).</summary>
    public static IReadOnlyList<EventKind> All => Entries;

    /// <summary>Whether <paramref name="type"/> is a catalog type.</summary>
    public static bool Contains(string type) => ByType.ContainsKey(type);

    /// <summary>Looks up a kind.</summary>
    public static bool TryGet(string type, out EventKind kind) => ByType.TryGetValue(type, out kind!);

    /// <summary>The level of <paramref name="evt"/>: its <c>level</c> field when valid, else the kind's default, else <see cref="EventLevel.Info"/>.</summary>
    public static EventLevel LevelOf(ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.Data.GetString(EventFields.Level) is { } level && TryParseLevel(level, out var parsed))
        {
            return parsed;
        }

        return ByType.TryGetValue(evt.Type, out var kind) ? kind.DefaultLevel : EventLevel.Info;
    }

    /// <summary>The source layer of <paramref name="type"/>, or <c>unknown</c>.</summary>
    public static string SourceOf(string type) => ByType.TryGetValue(type, out var kind) ? kind.Source : "unknown";

    /// <summary>
    /// Renders the one-line summary of <paramref name="evt"/> from its kind's template; <c>{a|b}</c> takes the first of
    /// the fields that is present, and placeholders for absent fields render as <c>?</c>. An unknown type renders as its
    /// type name.
    /// </summary>
    public static string Summarize(ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (!ByType.TryGetValue(evt.Type, out var kind))
        {
            return evt.Type;
        }

        var template = kind.SummaryTemplate.AsSpan();
        var builder = new StringBuilder(template.Length + 32);
        while (!template.IsEmpty)
        {
            var open = template.IndexOf('{');
            if (open < 0)
            {
                builder.Append(template);
                break;
            }

            builder.Append(template[..open]);
            var close = template[open..].IndexOf('}');
            if (close < 0)
            {
                builder.Append(template[open..]);
                break;
            }

            builder.Append(FirstPresent(evt.Data, template.Slice(open + 1, close - 1)) ?? "?");
            template = template[(open + close + 1)..];
        }

        return builder.ToString();
    }

    private static string? FirstPresent(EventData data, ReadOnlySpan<char> fields)
    {
        foreach (var range in fields.Split('|'))
        {
            if (data.GetString(fields[range].ToString()) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Parses <c>debug</c>, <c>info</c>, <c>warn</c> (or <c>warning</c>) and <c>error</c>, case-insensitively.</summary>
    public static bool TryParseLevel(string? text, out EventLevel level)
    {
        switch (text?.ToLowerInvariant())
        {
            case "debug": level = EventLevel.Debug; return true;
            case "info": level = EventLevel.Info; return true;
            case "warn" or "warning": level = EventLevel.Warn; return true;
            case "error": level = EventLevel.Error; return true;
            default: level = EventLevel.Info; return false;
        }
    }

    /// <summary>The lower-case name of a level as stored and printed (<c>debug</c>, <c>info</c>, <c>warn</c>, <c>error</c>).</summary>
    public static string LevelName(EventLevel level) => level switch
    {
        EventLevel.Debug => "debug",
        EventLevel.Warn => "warn",
        EventLevel.Error => "error",
        _ => "info",
    };
}
