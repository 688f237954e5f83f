using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Index;

namespace Reyn.Runtime;

/// <summary>
/// The skills <c>AddReyn</c> registers: <c>index_events</c> (over <see cref="EventIndexer"/>) and <c>ops_report</c>
/// (over <see cref="OpsReporter"/>). They run through the runtime like any skill, so cron can schedule them
/// (for example <c>index_events</c> every 6 hours and a weekly <c>ops_report</c>). Bad input aborts the run with a
/// message that says what is wrong.
/// </summary>
public static class BuiltInSkills
{
    /// <summary>The name of the skill that indexes <c>.reyn/events/**/*.jsonl</c>.</summary>
    public const string IndexEvents = "index_events";

    /// <summary>The name of the skill that reports on recent runs.</summary>
    public const string OpsReport = "ops_report";

    /// <summary>
    /// <c>index_events</c>: input <c>{since?: ISO-8601, mode?: append|replace, skills?: [..]}</c>; output
    /// <c>{indexedRuns, skippedRuns, filteredRuns, unchangedRuns, cursor}</c>.
    /// </summary>
    public static SkillDefinition CreateIndexEvents() =>
        Skill.Create(IndexEvents)
            .Describe("Indexes finished runs of .reyn/events/**/*.jsonl (one chunk per run) so that recall and ops_report can use them; incremental through .reyn/index/events_cursor.")
            .Phase("index", async ctx =>
            {
                if (ctx.Input.HasValue && ctx.Input.Json!.Value.ValueKind != JsonValueKind.Object)
                {
                    return PhaseResult.Abort($"index_events: the input must be an object such as {{\"since\": \"2026-01-01T00:00:00Z\", \"mode\": \"append\"}}; got {ctx.Input}.");
                }

                if (!IndexEventsRequest.TryCreate(ToArguments(ctx.Input), out var request, out var error))
                {
                    return PhaseResult.Abort($"index_events: {error}");
                }

                var indexer = ctx.Services.GetService<EventIndexer>()
                    ?? throw new InvalidOperationException("index_events needs Reyn.Index: call services.AddReyn(...) or services.AddReynIndex(...).");
                var result = await indexer.IndexAsync(request, progress: null, ctx.CancellationToken).ConfigureAwait(false);
                return PhaseResult.Finish(new Dictionary<string, object?>
                {
                    ["indexedRuns"] = result.IndexedRuns,
                    ["skippedRuns"] = result.SkippedRuns,
                    ["filteredRuns"] = result.FilteredRuns,
                    ["unchangedRuns"] = result.UnchangedRuns,
                    ["cursor"] = result.Cursor?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                });
            }, maxVisits: 1)
            .Build();

    /// <summary>
    /// <c>ops_report</c>: input <c>{since_days?: 1-3650}</c> (default 7); output the report's numbers and its text.
    /// </summary>
    public static SkillDefinition CreateOpsReport() =>
        Skill.Create(OpsReport)
            .Describe("Reports skills run, executions, success rate, average cost and the highest-failure skill with its primary cause over the last N days (index when present, JSONL scan otherwise).")
            .Phase("report", async ctx =>
            {
                var sinceDays = 7;
                if (ctx.Input.Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty("since_days", out var raw) && raw.ValueKind != JsonValueKind.Null)
                {
                    var ok = raw.ValueKind == JsonValueKind.Number
                        ? raw.TryGetInt32(out sinceDays)
                        : raw.ValueKind == JsonValueKind.String && int.TryParse(raw.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out sinceDays);
                    if (!ok || sinceDays is < 1 or > 3650)
                    {
                        return PhaseResult.Abort($"ops_report: 'since_days' must be a whole number of days between 1 and 3650; got {raw.GetRawText()}.");
                    }
                }

                var reporter = ctx.Services.GetService<OpsReporter>()
                    ?? throw new InvalidOperationException("ops_report needs Reyn.Index: call services.AddReyn(...) or services.AddReynIndex(...).");
                var report = await reporter.CreateAsync(sinceDays, ctx.CancellationToken).ConfigureAwait(false);
                return PhaseResult.Finish(new Dictionary<string, object?>
                {
                    ["sinceDays"] = report.SinceDays,
                    ["dataSource"] = report.DataSource,
                    ["skillTypes"] = report.SkillTypes,
                    ["totalRuns"] = report.TotalRuns,
                    ["successfulRuns"] = report.SuccessfulRuns,
                    ["successRate"] = report.SuccessRate,
                    ["averageCostUsd"] = report.AverageCostUsd,
                    ["highestFailureSkill"] = report.HighestFailure?.Skill,
                    ["text"] = report.ToText(),
                });
            }, maxVisits: 1)
            .Build();

    internal static Dictionary<string, object?> ToArguments(PhaseArtifact input)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (input.Json is { ValueKind: JsonValueKind.Object } json)
        {
            foreach (var property in json.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        return arguments;
    }
}
