using Reyn.Events;

namespace Reyn.Benchmarks.ActivityStore;

/// <summary>
/// Deterministic, varied, realistic activity: mostly routine lifecycle, LLM and op events, a minority of warnings and
/// failures whose error texts combine components, failure modes and details, over 20 projects, 40 agents and
/// 5,000 sessions (about 200 events per session at 1M events).
/// </summary>
internal static class ActivityEventGenerator
{
    private static readonly string[] Ops = ["git_clone", "review_fetch", "shell", "http_get", "pr_detect", "terminal_attach", "read_file", "write_file", "run_tests", "ci_poll", "deploy", "search_docs"];
    private static readonly string[] Components = ["review", "terminal", "webhook", "runtime", "tracker", "workspace", "notifier", "scm", "cleanup", "report watcher", "session", "mcp server"];
    private static readonly string[] Failures = ["fetch failed", "vanished", "timed out", "was refused", "returned 502", "crashed", "not detected", "skipped", "rate limited", "lost connection", "permission denied", "parse error"];
    private static readonly string[] Details = ["after 3 retries", "while polling", "on first attempt", "during cleanup", "for PR 42", "with exit code 137", "after merge", "in phase build", "behind proxy", "on reconnect"];
    private static readonly string[] Phases = ["plan", "build", "test", "review", "deploy", "report"];
    private static readonly string[] Models = ["gpt-5", "claude-4", "llama-4", "mistral-l"];

    public static ReynEvent[] Generate(int count, DateTimeOffset start, int seed = 42)
    {
        var random = new Random(seed);
        var events = new ReynEvent[count];
        for (var i = 0; i < count; i++)
        {
            var ts = start.AddMilliseconds(i * 250L);
            var data = new EventData(10)
            {
                [EventFields.Project] = "project-" + random.Next(20),
                [EventFields.Agent] = "agent-" + random.Next(40),
                [EventFields.SessionId] = "sess-" + random.Next(5000),
                [EventFields.RunId] = "run-" + (i / 50),
                [EventFields.Phase] = Phases[random.Next(Phases.Length)],
            };
            string type;
            var roll = random.Next(100);
            if (roll < 25)
            {
                type = EventTypes.ToolCalled;
                data["op"] = Ops[random.Next(Ops.Length)];
            }
            else if (roll < 45)
            {
                type = EventTypes.ToolReturned;
                data["op"] = Ops[random.Next(Ops.Length)];
                data["duration_ms"] = random.Next(5, 5000);
            }
            else if (roll < 60)
            {
                type = EventTypes.LlmCalled;
                data["model"] = Models[random.Next(Models.Length)];
            }
            else if (roll < 75)
            {
                type = EventTypes.LlmResponseReceived;
                data["model"] = Models[random.Next(Models.Length)];
                data["prompt_tokens"] = random.Next(100, 9000);
                data["completion_tokens"] = random.Next(10, 2000);
                data["cost_usd"] = Math.Round(random.NextDouble(), 4);
            }
            else if (roll < 85)
            {
                type = EventTypes.PhaseStarted;
                data["visit_count"] = random.Next(1, 4);
            }
            else if (roll < 92)
            {
                type = EventTypes.PhaseCompleted;
                data["next_phase"] = Phases[random.Next(Phases.Length)];
            }
            else
            {
                type = roll < 97 ? EventTypes.ToolFailed : EventTypes.PhaseFailed;
                data["op"] = Ops[random.Next(Ops.Length)];
                data["error"] = $"{Components[random.Next(Components.Length)]} {Failures[random.Next(Failures.Length)]} {Details[random.Next(Details.Length)]}";
            }

            events[i] = new ReynEvent(type, ts, data);
        }

        return events;
    }
}
