using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Reyn.Testing.Events;

/// <summary>
/// Writes realistic audit-log files for skill runs (<c>{"type","timestamp","data"}</c> per line) under
/// <c>&lt;root&gt;/events/&lt;yyyy-MM&gt;/&lt;run id&gt;.jsonl</c>, as the runtime does.
/// </summary>
public sealed class RunLogWriter
{
    /// <summary>Creates a writer for the <c>.reyn/</c> root <paramref name="root"/>.</summary>
    public RunLogWriter(string root) => Root = root;

    /// <summary>The <c>.reyn/</c> root.</summary>
    public string Root { get; }

    /// <summary>Writes a complete (or, with <see cref="RunScript.Unfinished"/>, unfinished) run; returns the file path.</summary>
    public string Write(RunScript run)
    {
        var path = PathOf(run);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, Render(run, includeCompletion: !run.Unfinished));
        return path;
    }

    /// <summary>Appends the completion events of a run previously written with <see cref="RunScript.Unfinished"/>.</summary>
    public void Complete(RunScript run) => File.AppendAllText(PathOf(run), RenderCompletion(run));

    /// <summary>The file a run is written to.</summary>
    public string PathOf(RunScript run) =>
        Path.Combine(Root, "events", run.Start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), run.RunId + ".jsonl");

    /// <summary>The JSONL lines of a run.</summary>
    public static string Render(RunScript run, bool includeCompletion = true)
    {
        var sb = new StringBuilder();
        var t = run.Start;
        sb.Append(Line("run_skill_started", t, ("run_id", run.RunId), ("skill", run.Skill), ("skill_version_hash", run.VersionHash), ("state_dir", ".reyn")));
        sb.Append(Line("workflow_started", t, ("run_id", run.RunId), ("skill", run.Skill), ("entry_phase", run.Phases.FirstOrDefault() ?? "main")));
        var step = run.Duration / Math.Max(1, run.Phases.Count + 1);
        foreach (var phase in run.Phases)
        {
            t += step;
            sb.Append(Line("phase_started", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("visit_count", 1)));
            sb.Append(Line("context_built", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("prompt", new string('x', 40))));
            sb.Append(Line("llm_response_received", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase),
                ("prompt_tokens", 100), ("completion_tokens", 20), ("cost_usd", run.CostPerPhase)));
            foreach (var op in run.ToolsPerPhase)
            {
                sb.Append(Line("tool_called", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("op", op)));
                sb.Append(Line("tool_returned", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("op", op)));
            }

            if (phase == run.FailingPhase && run.Error is not null)
            {
                sb.Append(Line("phase_failed", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("error", run.Error)));
                break;
            }

            if (phase == run.LoopLimitPhase)
            {
                sb.Append(Line("loop_limit_exceeded", t, ("run_id", run.RunId), ("skill", run.Skill), ("phase", phase), ("visit_count", 6), ("max", 5)));
                break;
            }
        }

        if (includeCompletion)
        {
            sb.Append(RenderCompletion(run));
        }

        return sb.ToString();
    }

    private static string RenderCompletion(RunScript run)
    {
        var end = run.Start + run.Duration;
        return Line("workflow_finished", end, ("run_id", run.RunId), ("skill", run.Skill), ("reason", run.Status == "success" ? "finish" : "error"))
            + Line("run_skill_completed", end, ("run_id", run.RunId), ("skill", run.Skill), ("status", run.Status),
                ("prompt_tokens", 100 * run.Phases.Count), ("completion_tokens", 20 * run.Phases.Count));
    }

    /// <summary>One JSONL line.</summary>
    public static string Line(string type, DateTimeOffset timestamp, params (string Key, object? Value)[] data)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("timestamp", timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
            writer.WriteStartObject("data");
            foreach (var (key, value) in data)
            {
                switch (value)
                {
                    case null: writer.WriteNull(key); break;
                    case string s: writer.WriteString(key, s); break;
                    case int i: writer.WriteNumber(key, i); break;
                    case long l: writer.WriteNumber(key, l); break;
                    case double d: writer.WriteNumber(key, d); break;
                    case bool b: writer.WriteBoolean(key, b); break;
                    default: writer.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
