using System.Globalization;
using System.Text.Json;

namespace Reyn.Index;

/// <summary>The arguments of recall: which sources, what text, how many hits, which filters.</summary>
public sealed record RecallRequest
{
    /// <summary>The largest accepted top-k.</summary>
    public const int MaxTopK = 1000;

    /// <summary>Index sources to search (for example <c>["events"]</c>).</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The query text.</summary>
    public string Query { get; init; } = "";

    /// <summary>How many hits to return after merging all sources (1-1000). Default 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Metadata filters applied in every source.</summary>
    public IndexFilter Filter { get; init; } = IndexFilter.None;

    /// <summary>Checks the request; null when valid.</summary>
    public RecallError? Validate()
    {
        if (string.IsNullOrWhiteSpace(Query))
        {
            return new RecallError("missing_query", "recall needs a non-empty 'query' (the text to search for, e.g. \"failures in the verify phase of my_skill\").");
        }

        if (Sources is null || Sources.Count == 0)
        {
            return new RecallError("missing_sources", "recall needs 'sources': a non-empty list of index sources, e.g. [\"events\"] (run 'reyn index events' to build it).");
        }

        foreach (var source in Sources)
        {
            if (!SourceName.IsValid(source))
            {
                return new RecallError("invalid_source", $"Source '{source}' is not a valid index source name: use letters, digits, '_' or '-' (e.g. \"events\").");
            }
        }

        if (TopK is < 1 or > MaxTopK)
        {
            return new RecallError("invalid_top_k", $"'top_k' must be between 1 and {MaxTopK}; got {TopK}.");
        }

        if (Filter.From is { } from && Filter.To is { } to && from >= to)
        {
            return new RecallError("invalid_filter", $"Filter 'since' ({from:O}) must be before 'until' ({to:O}).");
        }

        return null;
    }

    /// <summary>
    /// Builds a request from loosely typed arguments (an op call or a tool call): <c>query</c>, <c>sources</c>
    /// (list or comma-separated string), <c>top_k</c>, <c>filters</c> (<c>skill</c>, <c>status</c>, <c>version_hash</c>,
    /// <c>since</c>, <c>until</c>). Values may be CLR values or <see cref="JsonElement"/>s. Never throws for bad input.
    /// </summary>
    public static bool TryCreate(IReadOnlyDictionary<string, object?> arguments, out RecallRequest request, out RecallError? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        request = new RecallRequest();
        error = null;
        var query = AsString(arguments.GetValueOrDefault("query"));
        var sources = AsStrings(arguments.GetValueOrDefault("sources"));
        var topK = 10;
        if (arguments.TryGetValue("top_k", out var rawTopK) && rawTopK is not null)
        {
            var text = AsString(rawTopK);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out topK))
            {
                error = new RecallError("invalid_top_k", $"'top_k' must be an integer between 1 and {MaxTopK}; got '{text}'.");
                return false;
            }
        }

        var filter = IndexFilter.None;
        if (arguments.TryGetValue("filters", out var rawFilters) && rawFilters is not null)
        {
            var filters = AsMap(rawFilters);
            if (filters is null)
            {
                error = new RecallError("invalid_filter", "'filters' must be an object, e.g. {\"skill\": \"my_skill\", \"status\": \"failed\"}.");
                return false;
            }

            foreach (var (key, value) in filters)
            {
                switch (key)
                {
                    case "skill": filter = filter with { Skill = value }; break;
                    case "status": filter = filter with { Status = value }; break;
                    case "version_hash": filter = filter with { VersionHash = value }; break;
                    case "since" or "until":
                        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                        {
                            error = new RecallError("invalid_filter", $"Filter '{key}' must be an ISO-8601 time such as 2026-05-01T00:00:00Z; got '{value}'.");
                            return false;
                        }

                        filter = key == "since" ? filter with { From = time } : filter with { To = time };
                        break;
                    default:
                        error = new RecallError("invalid_filter", $"Unknown filter '{key}'. Supported filters: skill, status, version_hash, since, until.");
                        return false;
                }
            }
        }

        request = new RecallRequest { Query = query ?? "", Sources = sources ?? [], TopK = topK, Filter = filter };
        error = request.Validate();
        return error is null;
    }

    private static string? AsString(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static List<string>? AsStrings(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return [.. array.EnumerateArray().Select(e => AsString(e) ?? "")];
            case JsonElement { ValueKind: JsonValueKind.String } e:
                return AsStrings(e.GetString());
            case System.Collections.IEnumerable items:
                var list = new List<string>();
                foreach (var item in items)
                {
                    list.Add(AsString(item) ?? "");
                }

                return list;
            default:
                return [AsString(value) ?? ""];
        }
    }

    private static List<KeyValuePair<string, string>>? AsMap(object value)
    {
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                return [.. obj.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, AsString(p.Value) ?? ""))];
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                return [.. pairs.Select(p => new KeyValuePair<string, string>(p.Key, AsString(p.Value) ?? ""))];
            case IEnumerable<KeyValuePair<string, string>> strings:
                return [.. strings];
            default:
                return null;
        }
    }
}
