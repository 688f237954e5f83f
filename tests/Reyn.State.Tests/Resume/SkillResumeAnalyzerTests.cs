using static Reyn.State.Tests.Support.Records;

namespace Reyn.State.Tests.Resume;

public sealed class SkillResumeAnalyzerTests
{
    private static SkillRunSnapshot Snapshot()
    {
        var snapshot = new SkillRunSnapshot { RunId = "r1", Agent = "alice" };
        snapshot.Apply(
        [
            Rec(1, WalKinds.SkillStarted, new { agent = "alice", run_id = "r1", skill_name = "publish", skill_input = new { url = "x" } }),
            Rec(2, WalKinds.SkillPhaseAdvanced, new { run_id = "r1", next_phase = "plan", last_phase_artifact_path = (string?)null }),
            Rec(3, WalKinds.SkillPhaseAdvanced, new { run_id = "r1", next_phase = "act", last_phase_artifact_path = "ws/plan.md" }),
            Rec(4, WalKinds.SkillPhaseAdvanced, new { run_id = "r1", next_phase = "plan", last_phase_artifact_path = "ws/act.md" }),
            Rec(5, WalKinds.SkillPhaseAdvanced, new { run_id = "r1", next_phase = "act", last_phase_artifact_path = "ws/plan2.md" }),
        ]);
        return snapshot;
    }

    private static WalRecord Start(long seq, string op, string run = "r1", string hash = "h") =>
        Rec(seq, WalKinds.StepStarted, new { run_id = run, phase = "act", op_invocation_id = op, op_kind = "file_write", args = new { path = op }, args_hash = hash });

    private static WalRecord Done(long seq, string op, string run = "r1") =>
        Rec(seq, WalKinds.StepCompleted, new { run_id = run, phase = "act", op_invocation_id = op, op_kind = "file_write", args_hash = "h", result = new { ok = seq }, usage = new { tokens = 3 } });

    private static WalRecord Fail(long seq, string op) =>
        Rec(seq, WalKinds.StepFailed, new { run_id = "r1", phase = "act", op_invocation_id = op, op_kind = "file_write", args_hash = "h", error_kind = "exception", message = "IOError: disk" });

    [Fact]
    public void Analyze_SnapshotState_CopiedIntoPlan()
    {
        var plan = SkillResumeAnalyzer.Analyze(Snapshot(), []);
        plan.RunId.Should().Be("r1");
        plan.Skill.Should().Be("publish");
        plan.Input!.Value.GetProperty("url").GetString().Should().Be("x");
        plan.CurrentPhase.Should().Be("act");
        plan.PhasesVisited.Should().Equal("plan", "act", "plan", "act");
        plan.VisitCounts.Should().BeEquivalentTo(new Dictionary<string, int> { ["plan"] = 2, ["act"] = 2 });
        plan.LastPhaseArtifactPath.Should().Be("ws/plan2.md");
        plan.HasAmbiguity.Should().BeFalse();
    }

    [Fact]
    public void Analyze_StartsAndCompletions_PairsCommitsAndLeavesAmbiguous()
    {
        var records = new[]
        {
            Start(10, "a"), Done(11, "a"),
            Start(12, "b"), Fail(13, "b"),
            Start(14, "c"),
            Done(15, "llm.0"), // a completion without a start (LLM / world op)
            Start(16, "other", run: "r2"),
            Start(17, "d"),
        };

        var plan = SkillResumeAnalyzer.Analyze(Snapshot(), records);

        plan.CommittedSteps.Select(s => (s.OpInvocationId, s.Seq, s.StartedSeq)).Should().Equal(("a", 11L, (long?)10), ("b", 13L, (long?)12), ("llm.0", 15L, (long?)null));
        plan.CommittedSteps[0].Result!.Value.GetProperty("ok").GetInt64().Should().Be(11);
        plan.CommittedSteps[0].Usage!.Value.GetProperty("tokens").GetInt32().Should().Be(3);
        plan.CommittedSteps[0].Failed.Should().BeFalse();
        plan.CommittedSteps[1].Failed.Should().BeTrue();
        plan.CommittedSteps[1].ErrorKind.Should().Be("exception");
        plan.CommittedSteps[1].ErrorMessage.Should().Be("IOError: disk");
        plan.CommittedSteps[1].Result.Should().BeNull();
        plan.AmbiguousSteps.Select(s => (s.OpInvocationId, s.StartedSeq)).Should().Equal(("c", 14L), ("d", 17L));
        plan.AmbiguousSteps[0].Args!.Value.GetProperty("path").GetString().Should().Be("c");
        plan.HasAmbiguity.Should().BeTrue();
    }

    [Fact]
    public void Analyze_RepeatedStartsOfSameInvocation_CompletionPairsWithOldestStart()
    {
        var plan = SkillResumeAnalyzer.Analyze(Snapshot(), [Start(20, "x", hash: "h1"), Start(21, "x", hash: "h2"), Done(22, "x")]);
        plan.CommittedSteps.Should().ContainSingle().Which.StartedSeq.Should().Be(20);
        plan.AmbiguousSteps.Should().ContainSingle().Which.Should().Match<AmbiguousStep>(s => s.StartedSeq == 21 && s.ArgsHash == "h2");
    }

    [Fact]
    public void Analyze_ShuffledOrDuplicatedInput_GivesTheSamePlan()
    {
        var records = new List<WalRecord> { Start(10, "a"), Done(11, "a"), Start(12, "b"), Start(13, "a"), Done(14, "b") };
        var expected = SkillResumeAnalyzer.Analyze(Snapshot(), records);
        var shuffled = records.AsEnumerable().Reverse().Concat(records).ToList();

        var actual = SkillResumeAnalyzer.Analyze(Snapshot(), shuffled);

        actual.CommittedSteps.Select(s => (s.OpInvocationId, s.Seq, s.StartedSeq)).Should().Equal(expected.CommittedSteps.Select(s => (s.OpInvocationId, s.Seq, s.StartedSeq)));
        actual.AmbiguousSteps.Select(s => s.StartedSeq).Should().Equal(13);
    }
}
