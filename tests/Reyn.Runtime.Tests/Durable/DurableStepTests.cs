using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;
using Reyn.State;

namespace Reyn.Runtime.Tests.Durable;

/// <summary>Durable steps against the real FileStateLog (fsync'd WAL on disk), read back through the log.</summary>
public sealed class DurableStepTests
{
    [Fact]
    public async Task RunSkillAsync_OpsOfEachPurity_WriteWalRecordsByPurity()
    {
        var publish = new PublishOp();
        await using var h = new RuntimeHarness(services: s => s.AddReynOp<UppercaseOp>().AddSingleton<IOp>(publish));
        Directory.CreateDirectory(h.WorkspaceFile("logs"));
        File.WriteAllText(h.WorkspaceFile("logs/a.log"), "x");
        var skill = RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("uppercase", new { text = "a" });                          // pure
            await ctx.CallOpAsync("read_file", new { path = "logs/a.log" });                // world
            await ctx.CallOpAsync("write_file", new { path = "out/1.txt", content = "1" }); // side effect
            await ctx.CallOpAsync("write_file", new { path = "out/2.txt", content = "2" });
            await ctx.CallOpAsync("publish", new { title = "t" });                          // external
            await ctx.AskTextAsync("summarize");                                            // llm
            return null;
        }, p => p.AllowOps("uppercase", "read_file", "write_file", "publish").Write("out/**"));

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        var records = await WalReader.RecordsOfAsync(h, result.RunId);
        records.Select(WalReader.Describe).Should().Equal(
            "skill_started",
            "step_completed:work.read_file.0",
            "step_started:work.write_file.0", "step_completed:work.write_file.0",
            "step_started:work.write_file.1", "step_completed:work.write_file.1",
            "step_started:work.publish.0", "step_completed:work.publish.0",
            "step_completed:work.llm.0",
            "skill_completed");
        records.Single(r => r.GetString("op_invocation_id") == "work.llm.0").GetString("op_kind").Should().Be("llm");
        records[^1].GetString("status").Should().Be("success");
        records[0].GetString("skill_version_hash").Should().Be(skill.VersionHash);
    }

    [Fact]
    public async Task RunSkillAsync_StepCounters_ResetOnEveryPhaseEntry()
    {
        await using var h = new RuntimeHarness();
        var visits = 0;
        var skill = Skill.Create("steps")
            .Permissions(p => p.AllowOps("write_file").Write("**"))
            .Phase("a", async ctx =>
            {
                await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "1" });
                await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "2" });
                return ++visits < 2 ? PhaseResult.Next("b") : PhaseResult.Finish();
            })
            .Phase("b", async ctx =>
            {
                await ctx.CallOpAsync("write_file", new { path = "b.txt", content = "1" });
                return PhaseResult.Next("a");
            })
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        var ids = (await WalReader.RecordsOfAsync(h, result.RunId)).Where(r => r.Kind == "step_completed").Select(r => r.GetString("op_invocation_id"));
        ids.Should().Equal("a.write_file.0", "a.write_file.1", "b.write_file.0", "a.write_file.0", "a.write_file.1");
    }

    [Fact]
    public async Task CallOpAsync_ArgsHash_SameOnStartAndCompletion_AndIsSha256OfSortedKeyJson()
    {
        await using var h = new RuntimeHarness();
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("write_file", new { path = "x.txt", content = "hi" });
            return null;
        }, p => p.AllowOps("write_file").Write("**")));

        var records = await WalReader.RecordsOfAsync(h, result.RunId);
        var started = records.Single(r => r.Kind == "step_started");
        var completed = records.Single(r => r.Kind == "step_completed");
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("{\"content\":\"hi\",\"path\":\"x.txt\"}")))[..16];
        started.GetString("args_hash").Should().Be(expected);
        completed.GetString("args_hash").Should().Be(expected);
        started.Fields.GetProperty("args").GetProperty("path").GetString().Should().Be("x.txt");
        completed.Fields.GetProperty("result").GetProperty("status").GetString().Should().Be("ok");
        started.GetString("phase").Should().Be("work");
    }

    [Fact]
    public async Task CallOpAsync_SideEffectOpFails_WritesStepFailedWithErrorKind()
    {
        await using var h = new RuntimeHarness();
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("edit_file", new { path = "missing.txt", old_text = "a", new_text = "b" });
            return null;
        }, p => p.AllowOps("edit_file").Write("**")));

        var records = await WalReader.RecordsOfAsync(h, result.RunId);
        records.Select(WalReader.Describe).Should().ContainInOrder("step_started:work.edit_file.0", "step_failed:work.edit_file.0");
        var failed = records.Single(r => r.Kind == "step_failed");
        failed.GetString("error_kind").Should().Be("not_found");
        failed.GetString("message").Should().Contain("missing.txt");
    }

    [Fact]
    public async Task CallOpAsync_RefusedOrUnknownOp_WritesNoStep()
    {
        await using var h = new RuntimeHarness();
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("write_file", new { path = "../x.txt", content = "hi" });
            await ctx.CallOpAsync("no_such_op");
            return null;
        }, p => p.AllowOps("write_file").Write("**")));

        (await WalReader.RecordsOfAsync(h, result.RunId)).Select(r => r.Kind).Should().Equal("skill_started", "skill_completed");
    }

    [Fact]
    public async Task CompleteAsync_ResultOver32KiB_StoredBesideWalAndReferenced()
    {
        var big = new string('z', 40 * 1024);
        await using var h = new RuntimeHarness(chat: new FakeChatClient(big, "small"));
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            (await ctx.AskTextAsync("big please")).Should().Be(big);
            await ctx.AskTextAsync("small please");
            return null;
        }));

        var steps = (await WalReader.RecordsOfAsync(h, result.RunId)).Where(r => r.Kind == "step_completed").ToList();
        var large = steps[0].Fields.GetProperty("result");
        var name = large.GetProperty("_ref").GetString();
        name.Should().Be(steps[0].GetString("args_hash") + ".json");
        var file = Path.Combine(h.Directory.Combine(".reyn"), "agents", "main", "state", "skills", result.RunId + "_llm_results", name!);
        JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("text").GetString().Should().Be(big);
        steps[1].Fields.GetProperty("result").GetProperty("text").GetString().Should().Be("small");
        steps[1].Fields.GetProperty("usage").GetProperty("prompt_tokens").GetInt64().Should().Be(100);
    }

    [Fact]
    public async Task CallOpAsync_WalFailsBeforeSideEffect_RunFailsCleanlyAndOpNeverRuns()
    {
        await using var h = new RuntimeHarness();
        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.Services.GetRequiredService<IStateLog>().DisposeAsync(); // the WAL goes away under the run
            await ctx.CallOpAsync("write_file", new { path = "never.txt", content = "x" });
            return "unreachable";
        }, p => p.AllowOps("write_file").Write("**")));

        result.Status.Should().Be(SkillRunStatus.Failed);
        result.Error.Should().Contain("WAL could not record step_started for work.write_file.0");
        File.Exists(h.WorkspaceFile("never.txt")).Should().BeFalse();
        h.Sink.OfType(EventTypes.PhaseFailed).Single().Data.GetString("error_kind").Should().Be("wal_failure");
        h.Sink.OfType(EventTypes.WorkflowFinished).Single().Data.GetString("reason").Should().Be("wal_failure");
        h.Sink.OfType(EventTypes.ToolReturned).Should().BeEmpty();
    }

    [Fact]
    public async Task RunSkillAsync_PhaseAdvance_RecordsArtifactFileAndKeepsSnapshotUntilTheEnd()
    {
        await using var h = new RuntimeHarness();
        string? snapshotDuringRun = null;
        string? runId = null;
        var skill = Skill.Create("snap")
            .Phase("a", ctx => Task.FromResult(PhaseResult.Next("b", new { errors = 3 })))
            .Phase("b", ctx =>
            {
                runId = ctx.RunId;
                var path = Path.Combine(h.Directory.Combine(".reyn"), "agents", "main", "state", "skills", ctx.RunId + ".snapshot.json");
                snapshotDuringRun = File.ReadAllText(path);
                return Task.FromResult(PhaseResult.Finish());
            })
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Succeeded.Should().BeTrue(result.Error);
        using var snapshot = JsonDocument.Parse(snapshotDuringRun!);
        snapshotDuringRun.Should().Contain("\"b\"");
        var advanced = (await WalReader.RecordsOfAsync(h, result.RunId)).Single(r => r.Kind == "skill_phase_advanced");
        advanced.GetString("next_phase").Should().Be("b");
        var artifactPath = advanced.GetString("last_phase_artifact_path")!;
        JsonDocument.Parse(File.ReadAllText(artifactPath)).RootElement.GetProperty("errors").GetInt32().Should().Be(3);
        File.Exists(Path.Combine(h.Directory.Combine(".reyn"), "agents", "main", "state", "skills", runId + ".snapshot.json")).Should().BeFalse("a finished run deletes its snapshot");
    }

    [Fact]
    public async Task RunSkillAsync_EveryRun_WritesItsOwnJsonlFile()
    {
        await using var h = new RuntimeHarness();
        var skill = RuntimeHarness.OnePhase(_ => Task.FromResult<object?>(1));

        var first = await h.Runtime.RunSkillAsync(skill);
        var second = await h.Runtime.RunSkillAsync(skill);

        foreach (var run in new[] { first, second })
        {
            var file = Directory.GetFiles(h.Directory.Combine(".reyn", "events"), run.RunId + ".jsonl", SearchOption.AllDirectories).Should().ContainSingle().Subject;
            var types = File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
            types.First().Should().Be("run_skill_started");
            types.Last().Should().Be("run_skill_completed");
            File.ReadAllText(file).Should().NotContain(run == first ? second.RunId : first.RunId);
        }
    }
}
