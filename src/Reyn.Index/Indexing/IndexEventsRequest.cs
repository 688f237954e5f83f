using System.Globalization;
using System.Text.Json;

namespace Reyn.Index;

/// <summary>The input of one index_events pass.</summary>
public sealed record IndexEventsRequest
{
    /// <summary>Index runs completed at or after this time, overriding the cursor. Null: use the cursor.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Append (default) or replace.</summary>
    public IndexEventsMode Mode { get; init; } = IndexEventsMode.Append;

    /// <summary>Only index these skills (others are counted as filtered). Null: all skills.</summary>
    public IReadOnlyCollection<string>? Skills { get; init; }

    /// <summary>
    /// Builds a request from a skill's loosely typed input (<c>{"since": "2026-05-01T00:00:00", "mode": "replace",
    /// "skills": ["a"]}</c>); values may be CLR values or <see cref="JsonElement"/>s. Never throws for bad input.
    /// </summary>
    /// <returns>False with <paramref name="error"/> saying what is wrong and how to fix it.</returns>
    public static bool TryCreate(IReadOnlyDictionary<string, object?>? input, out IndexEventsRequest request, out string? error)
    {
        request = new IndexEventsRequest();
        error = null;
        if (input is null)
        {
            return true;
        }

        foreach (var (key, raw) in input)
        {
            var value = raw is JsonElement { ValueKind: JsonValueKind.String } s ? s.GetString()
                : raw is JsonElement { ValueKind: JsonValueKind.Null } ? null
                : raw as string;
            switch (key)
            {
                case "since" when value is null && raw is null or JsonElement { ValueKind: JsonValueKind.Null }:
                    break;
                case "since":
                    if (value is null || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
                    {
                        error = $"'since' must be an ISO-8601 time such as \"2026-05-01T00:00:00Z\"; got {raw}.";
                        return false;
                    }

                    request = request with { Since = since };
                    break;
                case "mode":
                    switch (value?.Trim().ToLowerInvariant())
                    {
                        case null or "" or "append":
                            break;
                        case "replace":
                            request = request with { Mode = IndexEventsMode.Replace };
                            break;
                        default:
                            error = $"'mode' must be \"append\" or \"replace\"; got \"{value}\".";
                            return false;
                    }

                    break;
                case "skills":
                    var skills = raw switch
                    {
                        null => null,
                        JsonElement { ValueKind: JsonValueKind.Null } => null,
                        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ToString()).ToList(),
                        IEnumerable<string> list => list.ToList(),
                        _ => (List<string>?)null,
                    };
                    if (skills is null && raw is not null and not JsonElement { ValueKind: JsonValueKind.Null })
                    {
                        error = "'skills' must be a list of skill names, e.g. [\"my_skill\"].";
                        return false;
                    }

                    request = request with { Skills = skills };
                    break;
                default:
                    error = $"Unknown index_events input '{key}'. Supported: since, mode, skills.";
                    return false;
            }
        }

        return true;
    }
}
