using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Audit;

/// <summary>
/// Drives the real runtime (real files, real WAL, fake chat model only) down every path that emits an event with
/// required audit fields, and fails if any emitted record misses one (seed 001's table, as the catalog declares it).
/// </summary>
public sealed class AuditRequirementsTests
{
    [Fact]
    public async Task RealRuntime_EveryEmittedEvent_CarriesItsRequiredAuditFields()
    {
        var chat = new FakeChatClient("{\"severity\":\"x\"}", "{\"severity\":\"high\"}") { Responder = _ => "done" };
        await using var h = new RuntimeHarness(o => o.Permissions.ToolDeny.Add("shell"), s => s.AddReynSkill(Triage()), chat);
        Directory.CreateDirectory(h.WorkspaceFile("logs"));
        File.WriteAllText(h.WorkspaceFile("logs/a.log"), "ERROR one\nok\n");

        var run = await h.Runtime.RunSkillAsync("audit_triage");
        var loop = await h.Runtime.RunSkillAsync(Skill.Create("looper").Phase("p", _ => Task.FromResult(PhaseResult.Next("p")), maxVisits: 1).Build());
        var failing = await h.Runtime.RunSkillAsync(Skill.Create("failing").Phase("p", _ => throw new InvalidOperationException("x")).Build());
        await using (var session = h.Runtime.CreateSession("audit"))
        {
            await session.RunTurnAsync("/run audit_triage");
            await session.RunTurnAsync("/run missing_skill");
            await session.RunTurnAsync("hello");
        }

        run.Status.Should().Be(SkillRunStatus.Succeeded, run.Error);
        loop.Status.Should().Be(SkillRunStatus.LoopLimitExceeded);
        failing.Status.Should().Be(SkillRunStatus.Failed);
        var events = h.Sink.Events;
        var emitted = events.Select(e => e.Type).ToHashSet();
        emitted.Should().Contain([
            "workflow_started", "workflow_finished", "llm_called", "llm_response_received", "permission_granted",
            "permission_denied", "run_skill_started", "run_skill_completed", "validation_error", "unknown_tool",
            "tool_called", "tool_returned", "tool_failed", "turn_started", "turn_completed", "user_message_received",
            "skill_run_spawned", "skill_spawn_refused", "loop_limit_exceeded", "phase_failed", "chat_started", "chat_stopped"]);
        foreach (var evt in events)
        {
            EventCatalog.Contains(evt.Type).Should().BeTrue($"'{evt.Type}' must be a catalog type");
            EventCatalog.MissingRequiredFields(evt).Should().BeEmpty($"{evt.Type} must carry its required audit fields");
        }

        AuditRequirements.VerifyAll(events);
    }

    private static SkillDefinition Triage() => Skill.Create("audit_triage")
        .Permissions(p => p.AllowOps("grep", "write_file", "edit_file", "shell").Read("logs/**").Write("report/**"))
        .Phase("explore", async ctx =>
        {
            var hits = await ctx.CallOpAsync("grep", new { pattern = "ERROR", path = "logs" });
            await ctx.CallOpAsync("write_file", new { path = "logs/x.log", content = "denied: outside write zone" });
            await ctx.CallOpAsync("shell", new { command = "echo denied by tool_deny" });
            await ctx.CallOpAsync("gerp", new { pattern = "x" });
            return PhaseResult.Next("report", hits.Data);
        })
        .Phase("report", async ctx =>
        {
            var triage = await ctx.AskAsync<Dictionary<string, string>>("severity?", d => d.GetValueOrDefault("severity") == "high" ? null : "severity must be high");
            await ctx.CallOpAsync("write_file", new { path = "report/r.md", content = triage["severity"] });
            await ctx.CallOpAsync("edit_file", new { path = "report/none.md", old_text = "a", new_text = "b" });
            return PhaseResult.Finish(triage);
        })
        .Build();
}
