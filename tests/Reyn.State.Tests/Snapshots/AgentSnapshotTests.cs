using static Reyn.State.Tests.Support.Records;

namespace Reyn.State.Tests.Snapshots;

public sealed class AgentSnapshotTests
{
    private static List<WalRecord> History() =>
    [
        Rec(1, WalKinds.InboxPut, new { session_id = "main", target = "alice", msg_id = "m1", msg_kind = "chat", payload = new { text = "hi" } }),
        Rec(2, WalKinds.InboxPut, new { session_id = "main", target = "bob", msg_id = "m9", msg_kind = "chat", payload = new { text = "not alice" } }),
        Rec(3, WalKinds.InboxPut, new { session_id = "side", target = "alice", msg_id = "m8", msg_kind = "chat" }),
        Rec(4, WalKinds.ChainRegister, new { agent = "alice", chain_id = "c1", origin_agent = "root", origin_depth = 2, original_request = "do it", waiting_on = new[] { "bob", "carol" } }),
        Rec(5, WalKinds.ChainUpdate, new { agent = "alice", chain_id = "c1", waiting_on = new[] { "carol" } }),
        Rec(6, WalKinds.InterventionDispatched, new { target = "alice", intervention_id = "iv1", iv = new { question = "ok?" } }),
        Rec(7, WalKinds.InterventionAnswerBuffered, new { target = "alice", run_id = "r1", text = "yes", choice_id = "y" }),
        Rec(8, "future_kind_nobody_knows", new { target = "alice" }),
        Rec(9, WalKinds.SkillStarted, new { target = "alice", agent = "alice", run_id = "r1" }),
        Rec(10, WalKinds.InboxPut, new { target = "alice", msg_id = "m2", msg_kind = "chat" }),
        Rec(11, WalKinds.InboxConsume, new { agent = "alice", msg_id = "m1" }),
    ];

    [Fact]
    public void Apply_History_BuildsInboxChainsInterventionsAnswersAndRuns()
    {
        var snapshot = AgentSnapshot.Empty("alice");
        snapshot.Apply(History());

        snapshot.AppliedSeq.Should().Be(11);
        snapshot.Inbox.Select(m => m.Id).Should().Equal("m2");
        snapshot.PendingChains.Should().ContainKey("c1");
        snapshot.PendingChains["c1"].WaitingOn.Should().Equal("carol");
        snapshot.PendingChains["c1"].OriginDepth.Should().Be(2);
        snapshot.OutstandingInterventions["iv1"].GetProperty("question").GetString().Should().Be("ok?");
        snapshot.BufferedAnswers["r1"].Text.Should().Be("yes");
        snapshot.ActiveSkillRunIds.Should().Equal("r1");
        snapshot.HasPendingWork.Should().BeTrue();
    }

    [Fact]
    public void Apply_SameRecordsTwiceOrOverlapping_IsIdempotent()
    {
        var once = AgentSnapshot.Empty("alice");
        once.Apply(History());
        var twice = AgentSnapshot.Empty("alice");
        twice.Apply(History().Take(7));
        twice.Apply(History()).Should().Be(3, "records at or below applied_seq are skipped");
        twice.Apply(History()).Should().Be(0);

        System.Text.Json.JsonSerializer.Serialize(twice).Should().Be(System.Text.Json.JsonSerializer.Serialize(once));
    }

    [Fact]
    public void Apply_OtherSession_IsSkipped()
    {
        var side = AgentSnapshot.Empty("alice", "side");
        side.Apply(History());
        side.Inbox.Select(m => m.Id).Should().Equal("m8");
        side.PendingChains.Should().BeEmpty();
    }

    [Fact]
    public void Apply_ResolveRecords_RemoveChainsInterventionsAnswersAndRuns()
    {
        var snapshot = AgentSnapshot.Empty("alice");
        snapshot.Apply(History());
        snapshot.Apply(
        [
            Rec(12, WalKinds.ChainResolve, new { agent = "alice", chain_id = "c1" }),
            Rec(13, WalKinds.InterventionResolved, new { target = "alice", intervention_id = "iv1" }),
            Rec(14, WalKinds.InterventionAnswerConsumed, new { target = "alice", run_id = "r1" }),
            Rec(15, WalKinds.SkillCompleted, new { target = "alice", agent = "alice", run_id = "r1" }),
            Rec(16, WalKinds.InboxConsume, new { agent = "alice", msg_id = "m2" }),
            Rec(17, WalKinds.ChainResolve, new { agent = "alice", chain_id = "unknown" }),
        ]);
        snapshot.HasPendingWork.Should().BeFalse();
        snapshot.BufferedAnswers.Should().BeEmpty();
        snapshot.ActiveSkillRunIds.Should().BeEmpty();
        snapshot.AppliedSeq.Should().Be(17);
    }
    [Fact]
    public void Apply_SkillDiscarded_DropsTheRunsInterventionsAndBufferedAnswerOnly()
    {
        var snapshot = AgentSnapshot.Empty("alice");
        snapshot.Apply(
        [
            Rec(1, WalKinds.SkillStarted, new { agent = "alice", run_id = "r1" }),
            Rec(2, WalKinds.SkillStarted, new { agent = "alice", run_id = "r2" }),
            Rec(3, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r1", intervention_id = "iv1", question = "publish?" }),
            Rec(4, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r1", intervention_id = "iv2", question = "again?" }),
            Rec(5, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r2", intervention_id = "iv3", question = "other run" }),
            Rec(6, WalKinds.InterventionAnswerBuffered, new { agent = "alice", run_id = "r1", intervention_id = "iv1", text = "yes" }),
            Rec(7, WalKinds.InterventionAnswerBuffered, new { agent = "alice", run_id = "r2", intervention_id = "iv3", text = "no" }),
        ]);
        snapshot.InterventionsOfRun("r1").Should().BeEquivalentTo(["iv1", "iv2"]);
        snapshot.BufferedAnswers["r1"].InterventionId.Should().Be("iv1");

        snapshot.Apply(Rec(8, WalKinds.SkillDiscarded, new { agent = "alice", run_id = "r1" })).Should().BeTrue();

        snapshot.OutstandingInterventions.Keys.Should().Equal("iv3");
        snapshot.BufferedAnswers.Keys.Should().Equal("r2");
        snapshot.ActiveSkillRunIds.Should().Equal("r2");
        snapshot.Apply(Rec(8, WalKinds.SkillDiscarded, new { agent = "alice", run_id = "r2" })).Should().BeFalse("a replayed seq is skipped");
    }

    [Fact]
    public void Apply_SkillCompleted_AlsoDropsTheRunsLeftoverInterventions()
    {
        var snapshot = AgentSnapshot.Empty("alice");
        snapshot.Apply(
        [
            Rec(1, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r1", intervention_id = "iv1" }),
            Rec(2, WalKinds.SkillCompleted, new { agent = "alice", run_id = "r1", status = "budget_exceeded" }),
        ]);
        snapshot.OutstandingInterventions.Should().BeEmpty("an ended run waits for nothing");
    }

    [Fact]
    public void Apply_ReplayOfDiscardedRunHistory_GivesTheSameStateAsTheLiveSnapshot()
    {
        List<WalRecord> wal =
        [
            Rec(1, WalKinds.SkillStarted, new { agent = "alice", run_id = "r1" }),
            Rec(2, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r1", intervention_id = "iv1", question = "ok?" }),
            Rec(3, WalKinds.InterventionAnswerBuffered, new { agent = "alice", run_id = "r1", intervention_id = "iv1", text = "yes" }),
            Rec(4, WalKinds.SkillDiscarded, new { agent = "alice", run_id = "r1" }),
        ];
        var live = AgentSnapshot.Empty("alice");
        live.Apply(wal.Take(3));
        var json = System.Text.Json.JsonSerializer.Serialize(live);
        var reloaded = System.Text.Json.JsonSerializer.Deserialize<AgentSnapshot>(json)!; // a snapshot saved before the discard
        reloaded.Apply(wal);
        live.Apply(wal);

        foreach (var snapshot in new[] { live, reloaded })
        {
            snapshot.OutstandingInterventions.Should().BeEmpty();
            snapshot.BufferedAnswers.Should().BeEmpty();
            snapshot.HasPendingWork.Should().BeFalse();
            snapshot.AppliedSeq.Should().Be(4);
        }
    }

    [Fact]
    public void SkillRunSnapshot_InterventionRecords_SetAndClearTheAwaitedInterventionAndItsDispatchTime()
    {
        var run = new SkillRunSnapshot { RunId = "r1", Agent = "alice" };
        var dispatched = Rec(2, WalKinds.InterventionDispatched, new { agent = "alice", run_id = "r1", intervention_id = "iv1" });
        run.Apply(dispatched);
        run.AwaitingInterventionId.Should().Be("iv1");
        run.AwaitingSince.Should().Be(dispatched.Timestamp);

        run.Apply(Rec(3, WalKinds.InterventionResolved, new { agent = "alice", run_id = "r1", intervention_id = "iv1", text = "yes" }));
        run.AwaitingInterventionId.Should().BeNull();
        run.AwaitingSince.Should().BeNull();
    }
}
