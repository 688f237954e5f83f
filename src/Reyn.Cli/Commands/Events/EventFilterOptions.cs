using System.CommandLine;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Events;
using Reyn.Events.ActivityStore;

namespace Reyn.Cli.Commands.Events;

/// <summary>The filter flags shared by <c>list</c>, <c>search</c> and <c>stats</c>, and their validation.</summary>
internal sealed class EventFilterOptions
{
    public Option<string?> Project { get; } = new("--project", "-p") { Description = "Only events of this project." };

    public Option<string?> Agent { get; } = new("--agent") { Description = "Only events of this agent." };

    public Option<string?> Session { get; } = new("--session", "-s") { Description = "Only events of this chat session (session_id)." };

    public Option<string?> Run { get; } = new("--run") { Description = "Only events of this skill run (run_id)." };

    public Option<string?> Source { get; } = new("--source") { Description = "Only events from this source (lifecycle, llm, op, chat, agent, state, config, cron, index, hook)." };

    public Option<string[]> Types { get; } = new("--type", "-t", "--kind") { Description = "Only events of this type; repeat for several (e.g. -t tool_failed -t phase_failed)." };

    public Option<string?> Level { get; } = new("--level", "--log-level") { Description = "Minimum level: debug, info, warn or error." };

    public Option<string?> Since { get; } = new("--since") { Description = "Only events at or after this time: 30m, 24h, 7d or ISO-8601 (2026-05-01, 2026-05-01T12:00:00Z)." };

    public Option<string?> Until { get; } = new("--until") { Description = "Only events at or before this time: 30m, 24h, 7d or ISO-8601." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the versioned JSON envelope instead of a table." };

    public void AddTo(Command command)
    {
        command.Options.Add(Project);
        command.Options.Add(Agent);
        command.Options.Add(Session);
        command.Options.Add(Run);
        command.Options.Add(Source);
        command.Options.Add(Types);
        command.Options.Add(Level);
        command.Options.Add(Since);
        command.Options.Add(Until);
        command.Options.Add(Json);
    }

    /// <summary>Builds the query from the flags; a bad type, level or time is a <see cref="CliUserException"/>.</summary>
    public ActivityQuery Build(ParseResult parseResult, DateTimeOffset now, int limit = ActivityQuery.DefaultLimit, long? beforeId = null)
    {
        var types = parseResult.GetValue(Types) ?? [];
        foreach (var type in types)
        {
            RequireKnownType(type, "--type");
        }

        EventLevel? level = null;
        if (parseResult.GetValue(Level) is { } levelText)
        {
            if (!EventCatalog.TryParseLevel(levelText, out var parsed))
            {
                throw new CliUserException($"Unknown level '{levelText}' for --level. Use debug, info, warn or error.");
            }

            level = parsed;
        }

        var since = ParseTime(parseResult.GetValue(Since), "--since", now, endOfDay: false);
        var until = ParseTime(parseResult.GetValue(Until), "--until", now, endOfDay: true);
        if (since is { } s && until is { } u && s > u)
        {
            throw new CliUserException($"--since ({s:O}) is after --until ({u:O}); nothing can match. Swap them or widen the window.");
        }

        return new ActivityQuery
        {
            Project = parseResult.GetValue(Project),
            Agent = parseResult.GetValue(Agent),
            Session = parseResult.GetValue(Session),
            Run = parseResult.GetValue(Run),
            Source = parseResult.GetValue(Source),
            Types = types,
            MinLevel = level,
            Since = since,
            Until = until,
            Limit = limit,
            BeforeId = beforeId,
        };
    }

    /// <summary>Writes the <c>query</c> object of the JSON envelope: the filters as given, unset ones as null.</summary>
    public void WriteQuery(Utf8JsonWriter writer, ParseResult parseResult, ActivityQuery query, string? text = null, bool paged = true)
    {
        writer.WriteStartObject("query");
        if (text is not null)
        {
            writer.WriteString("q", text);
        }

        writer.WriteString("project", query.Project);
        writer.WriteString("agent", query.Agent);
        writer.WriteString("sessionId", query.Session);
        writer.WriteString("runId", query.Run);
        writer.WriteString("source", query.Source);
        writer.WriteStartArray("types");
        foreach (var type in query.Types)
        {
            writer.WriteStringValue(type);
        }

        writer.WriteEndArray();
        writer.WriteString("level", query.MinLevel is { } level ? EventCatalog.LevelName(level) : null);
        writer.WriteString("since", parseResult.GetValue(Since));
        writer.WriteString("until", parseResult.GetValue(Until));
        if (paged)
        {
            writer.WriteNumber("limit", query.EffectiveLimit);
            if (query.BeforeId is { } before)
            {
                writer.WriteNumber("beforeId", before);
            }
            else
            {
                writer.WriteNull("beforeId");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Throws a user error naming close catalog types when <paramref name="type"/> is not in the catalog.</summary>
    public static void RequireKnownType(string type, string flag)
    {
        if (EventCatalog.Contains(type))
        {
            return;
        }

        var close = new List<string>();
        foreach (var kind in EventCatalog.All)
        {
            if (kind.Type.Contains(type, StringComparison.OrdinalIgnoreCase) || type.Contains(kind.Type, StringComparison.OrdinalIgnoreCase) ||
                Distance(kind.Type, type.ToLowerInvariant()) <= 3)
            {
                close.Add(kind.Type);
            }
        }

        var hint = close.Count > 0
            ? $"Did you mean: {string.Join(", ", close.Take(5))}?"
            : $"Known types: {string.Join(", ", EventCatalog.All.Select(k => k.Type))}.";
        throw new CliUserException($"Unknown event type '{type}' for {flag}. {hint}");
    }

    /// <summary>Parses a time flag; a date-only <c>--until</c> means the end of that day.</summary>
    public static DateTimeOffset? ParseTime(string? text, string flag, DateTimeOffset now, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            var value = ActivityTime.Parse(text, now);
            if (endOfDay && text.Trim().Length == 10 && text.Contains('-', StringComparison.Ordinal))
            {
                value = value.AddDays(1).AddTicks(-1);
            }

            return value;
        }
        catch (FormatException ex)
        {
            throw new CliUserException($"Bad value for {flag}: {ex.Message}");
        }
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
