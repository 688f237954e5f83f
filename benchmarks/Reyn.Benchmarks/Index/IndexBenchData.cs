using System.Globalization;
using System.Text;
using Reyn.Index;

namespace Reyn.Benchmarks.Index;

/// <summary>Generates benchmark data: an audit log of N runs (~54 events each) and synthetic run chunks.</summary>
internal static class IndexBenchData
{
    public static readonly string[] Phases = ["explore", "plan", "apply", "verify", "report"];
    public static readonly string[] Ops = ["grep", "read_file", "edit_file"];

    public static string Skill(int i) => "skill_" + (i % 20).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="runs"/> runs, 100 per file, spread over the 30 days before <paramref name="now"/>; every 10th run fails.</summary>
    public static void WriteEventLog(string root, int runs, DateTimeOffset now)
    {
        var random = new Random(42);
        StreamWriter? writer = null;
        try
        {
            for (var i = 0; i < runs; i++)
            {
                if (i % 100 == 0)
                {
                    writer?.Dispose();
                    var dir = Path.Combine(root, "events", "2026-05");
                    Directory.CreateDirectory(dir);
                    writer = new StreamWriter(Path.Combine(dir, $"session_{i / 100:00000}.jsonl"), false, new UTF8Encoding(false), 1 << 16);
                }

                var start = now.AddMinutes(-random.Next(0, 30 * 24 * 60));
                var runId = "run_" + i.ToString("000000", CultureInfo.InvariantCulture);
                var skill = Skill(i);
                var version = (i % 40 < 20 ? "a" : "b") + new string('0', 63);
                var failPhase = i % 10 == 9 ? Phases[random.Next(Phases.Length)] : null;
                var t = start;
                Line(writer!, "run_skill_started", t, runId, skill, $"\"skill_version_hash\":\"{version}\"");
                Line(writer!, "workflow_started", t, runId, skill, "\"entry_phase\":\"explore\"");
                foreach (var phase in Phases)
                {
                    t = t.AddSeconds(5);
                    Line(writer!, "phase_started", t, runId, skill, $"\"phase\":\"{phase}\",\"visit_count\":1");
                    Line(writer!, "context_built", t, runId, skill, $"\"phase\":\"{phase}\",\"tokens\":1200");
                    Line(writer!, "llm_called", t, runId, skill, $"\"phase\":\"{phase}\",\"model\":\"gpt-x\"");
                    Line(writer!, "llm_response_received", t, runId, skill, $"\"phase\":\"{phase}\",\"prompt_tokens\":1000,\"completion_tokens\":200,\"cost_usd\":0.012");
                    foreach (var op in Ops)
                    {
                        Line(writer!, "tool_called", t, runId, skill, $"\"phase\":\"{phase}\",\"op\":\"{op}\"");
                        Line(writer!, "tool_returned", t, runId, skill, $"\"phase\":\"{phase}\",\"op\":\"{op}\"");
                    }

                    if (phase == failPhase)
                    {
                        Line(writer!, "phase_failed", t, runId, skill, $"\"phase\":\"{phase}\",\"error\":\"test execution timeout after 300s\"");
                        break;
                    }

                    Line(writer!, "phase_completed", t, runId, skill, $"\"phase\":\"{phase}\",\"next_phase\":\"next\"");
                }

                Line(writer!, "workflow_finished", t, runId, skill, $"\"reason\":\"{(failPhase is null ? "finish" : "error")}\"");
                Line(writer!, "run_skill_completed", t, runId, skill, $"\"status\":\"{(failPhase is null ? "success" : "failed")}\"");
            }
        }
        finally
        {
            writer?.Dispose();
        }
    }

    private static void Line(StreamWriter writer, string type, DateTimeOffset t, string runId, string skill, string extra)
    {
        writer.Write("{\"type\":\"");
        writer.Write(type);
        writer.Write("\",\"timestamp\":\"");
        writer.Write(t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
        writer.Write("\",\"data\":{\"run_id\":\"");
        writer.Write(runId);
        writer.Write("\",\"skill\":\"");
        writer.Write(skill);
        writer.Write("\",");
        writer.Write(extra);
        writer.Write(",\"emitter\":\"0123456789abcdef\",\"audit_seq\":1}}\n");
    }

    /// <summary>A synthetic run (for building large indexes without writing logs).</summary>
    public static RunSummary Run(int i, DateTimeOffset now, Random random)
    {
        var failPhase = i % 10 == 9 ? Phases[random.Next(Phases.Length)] : null;
        var start = now.AddMinutes(-random.Next(0, 30 * 24 * 60));
        return new RunSummary
        {
            RunId = "run_" + i.ToString("000000", CultureInfo.InvariantCulture),
            Skill = Skill(i),
            VersionHash = (i % 40 < 20 ? "a" : "b") + new string('0', 63),
            StartedAt = start,
            CompletedAt = start.AddSeconds(25),
            Status = failPhase is null ? RunStatuses.Success : RunStatuses.Failed,
            DurationSeconds = 25,
            CostUsd = 0.06,
            Phases = failPhase is null ? Phases : Phases[..(Array.IndexOf(Phases, failPhase) + 1)],
            Errors = failPhase is null ? [] : ["test execution timeout after 300s"],
            FailedPhase = failPhase,
            FailureReason = failPhase is null ? null : "test execution timeout after 300s",
            ToolCalls = [new("grep", 5), new("read_file", 5), new("edit_file", 5)],
            SourcePath = "events/2026-05/session.jsonl",
        };
    }

    /// <summary>A deterministic 384-dimension embedding (character trigrams hashed, L2 normalized).</summary>
    public static float[] Embed(string text)
    {
        var vector = new float[384];
        for (var i = 0; i + 3 <= text.Length; i++)
        {
            uint hash = 2166136261;
            for (var j = i; j < i + 3; j++)
            {
                hash = (hash ^ char.ToLowerInvariant(text[j])) * 16777619;
            }

            vector[hash % 384] += 1;
        }

        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(vector));
        System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm == 0 ? 1 : norm, vector);
        return vector;
    }
}
