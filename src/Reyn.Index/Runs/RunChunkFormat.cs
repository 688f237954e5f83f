using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reyn.Index;

/// <summary>
/// Converts a <see cref="RunSummary"/> to the run chunk of the operational-intelligence seed and back from a hit's
/// metadata (so reports computed from the index equal reports computed from the JSONL files).
/// </summary>
/// <remarks>
/// Text format (one field per line): <c>[run chunk]</c>, <c>skill</c>, <c>run_id</c>, <c>version_hash</c>,
/// <c>timestamp</c> (UTC), <c>status</c>, <c>duration_seconds</c>, <c>phases: explore → plan → apply</c>,
/// <c>errors: [...]</c>, <c>tool_calls: grep(×3), read_file(×5)</c>, <c>cost_usd</c>; failed runs add
/// <c>failed_phase</c> and <c>failure: &lt;error&gt; in &lt;phase&gt; phase</c>.
/// </remarks>
public static class RunChunkFormat
{
    /// <summary>The <c>source_type</c> of run chunks.</summary>
    public const string SourceType = "p6_event_run";

    /// <summary>The chunk text of <paramref name="run"/>.</summary>
    public static string ToText(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sb = new StringBuilder(384);
        sb.Append("[run chunk]\n");
        sb.Append("skill: ").Append(run.Skill).Append('\n');
        sb.Append("run_id: ").Append(run.RunId).Append('\n');
        sb.Append("version_hash: ").Append(run.VersionHash).Append('\n');
        sb.Append("timestamp: ").Append(run.Timestamp is { } ts ? FormatTime(ts) : "unknown").Append('\n');
        sb.Append("status: ").Append(run.Status).Append('\n');
        sb.Append("duration_seconds: ").Append(run.DurationSeconds is { } d ? FormatNumber(Math.Round(d, 1)) : "unknown").Append('\n');
        sb.Append("phases: ").Append(run.Phases.Count == 0 ? "(unknown)" : string.Join(" → ", run.Phases)).Append('\n');
        sb.Append("errors: [");
        for (var i = 0; i < run.Errors.Count; i++)
        {
            sb.Append(i == 0 ? "\"" : ", \"").Append(run.Errors[i].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }

        sb.Append("]\n");
        sb.Append("tool_calls: ");
        for (var i = 0; i < run.ToolCalls.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ").Append(run.ToolCalls[i].Op).Append("(×").Append(run.ToolCalls[i].Count).Append(')');
        }

        sb.Append('\n');
        sb.Append("cost_usd: ").Append(run.CostUsd is { } c ? FormatNumber(Math.Round(c, 4)) : "unknown");
        if (run.Status != RunStatuses.Success)
        {
            if (run.FailedPhase is not null)
            {
                sb.Append("\nfailed_phase: ").Append(run.FailedPhase);
            }

            sb.Append("\nfailure: ").Append(run.FailureReason ?? run.Status);
            if (run.FailedPhase is not null)
            {
                sb.Append(" in ").Append(run.FailedPhase).Append(" phase");
            }
        }

        return sb.ToString();
    }

    /// <summary>The chunk of <paramref name="run"/>: id = run id, text per <see cref="ToText"/>, filterable metadata and every field in <see cref="ChunkMetadata.Extra"/>.</summary>
    public static IndexChunk ToChunk(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source_type"] = SourceType,
            ["run_id"] = run.RunId,
        };
        Put(extra, "started_at", run.StartedAt?.ToString("O", CultureInfo.InvariantCulture));
        Put(extra, "completed_at", run.CompletedAt?.ToString("O", CultureInfo.InvariantCulture));
        Put(extra, "duration_seconds", run.DurationSeconds?.ToString("R", CultureInfo.InvariantCulture));
        Put(extra, "cost_usd", run.CostUsd?.ToString("R", CultureInfo.InvariantCulture));
        Put(extra, "failed_phase", run.FailedPhase);
        Put(extra, "failure_reason", run.FailureReason);
        Put(extra, "prompt_tokens", run.PromptTokens?.ToString(CultureInfo.InvariantCulture));
        Put(extra, "completion_tokens", run.CompletionTokens?.ToString(CultureInfo.InvariantCulture));
        extra["phases"] = JsonSerializer.Serialize(run.Phases);
        extra["errors"] = JsonSerializer.Serialize(run.Errors);
        var tools = new string[run.ToolCalls.Count];
        for (var i = 0; i < tools.Length; i++)
        {
            tools[i] = run.ToolCalls[i].Op + "=" + run.ToolCalls[i].Count.ToString(CultureInfo.InvariantCulture);
        }

        extra["tool_calls"] = JsonSerializer.Serialize(tools);
        var metadata = new ChunkMetadata
        {
            Skill = run.Skill,
            Status = run.Status,
            VersionHash = run.VersionHash,
            Timestamp = run.Timestamp,
            Extra = extra,
        };
        return new IndexChunk(run.RunId, run.SourcePath, ToText(run), metadata);
    }

    /// <summary>Rebuilds the run from a run chunk's hit; null when the hit is not a run chunk.</summary>
    public static RunSummary? FromHit(IndexHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var extra = hit.Metadata.Extra;
        if (!extra.TryGetValue("source_type", out var type) || type != SourceType || hit.Metadata.Skill is null)
        {
            return null;
        }

        var tools = new List<ToolCallCount>();
        foreach (var entry in Strings(extra, "tool_calls"))
        {
            var eq = entry.LastIndexOf('=');
            if (eq > 0 && int.TryParse(entry.AsSpan(eq + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                tools.Add(new ToolCallCount(entry[..eq], n));
            }
        }

        return new RunSummary
        {
            RunId = extra.TryGetValue("run_id", out var runId) ? runId : hit.Id,
            Skill = hit.Metadata.Skill,
            VersionHash = hit.Metadata.VersionHash ?? "unknown",
            Status = hit.Metadata.Status ?? RunStatuses.Success,
            StartedAt = Time(extra, "started_at"),
            CompletedAt = Time(extra, "completed_at"),
            DurationSeconds = Number(extra, "duration_seconds"),
            CostUsd = Number(extra, "cost_usd"),
            FailedPhase = extra.GetValueOrDefault("failed_phase"),
            FailureReason = extra.GetValueOrDefault("failure_reason"),
            PromptTokens = (long?)Number(extra, "prompt_tokens"),
            CompletionTokens = (long?)Number(extra, "completion_tokens"),
            Phases = Strings(extra, "phases"),
            Errors = Strings(extra, "errors"),
            ToolCalls = tools,
            SourcePath = hit.SourcePath,
        };
    }

    internal static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string FormatNumber(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static void Put(Dictionary<string, string> extra, string key, string? value)
    {
        if (value is not null)
        {
            extra[key] = value;
        }
    }

    private static DateTimeOffset? Time(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static double? Number(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static string[] Strings(IReadOnlyDictionary<string, string> extra, string key) =>
        extra.TryGetValue(key, out var s) ? JsonSerializer.Deserialize<string[]>(s) ?? [] : [];
}
