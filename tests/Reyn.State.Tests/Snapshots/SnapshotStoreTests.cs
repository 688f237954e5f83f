using System.Text.Json;
using Reyn.State.Tests.Support;
using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Snapshots;

public sealed class SnapshotStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-snapshots");
    private readonly StatePaths _paths;
    private readonly FileSnapshotStore _store;

    public SnapshotStoreTests()
    {
        _paths = new StatePaths(_dir.Combine(".reyn"));
        _store = new FileSnapshotStore(_paths);
    }

    public void Dispose() => _dir.Dispose();

    private FileStateLog OpenLog() => FileStateLog.Open(Options(_paths.Wal));

    private static Task<long> Put(FileStateLog log, string target, string id) =>
        log.AppendAsync(WalKinds.InboxPut, Fields(("session_id", "main"), ("target", target), ("msg_id", id), ("msg_kind", "chat"))).AsTask();

    [Fact]
    public async Task SaveAgentAsync_ThenLoad_RoundTripsAndReplaysOnlyNewerRecords()
    {
        await using var log = OpenLog();
        await Put(log, "alice", "m1");
        var first = await _store.LoadAgentAsync("alice", log);
        first.Status.Should().Be(SnapshotLoadStatus.Missing);
        await _store.SaveAgentAsync(first.Snapshot);
        await Put(log, "alice", "m2");

        var second = await _store.LoadAgentAsync("alice", log);
        second.Status.Should().Be(SnapshotLoadStatus.Loaded);
        second.Snapshot.Inbox.Select(m => m.Id).Should().Equal("m1", "m2");
        second.Snapshot.AppliedSeq.Should().Be(2);
        File.Exists(_paths.AgentSnapshot("alice")).Should().BeTrue();
        File.Exists(_paths.AgentSnapshot("alice") + ".tmp").Should().BeFalse("writes are atomic: temp file renamed");
        using var json = JsonDocument.Parse(File.ReadAllBytes(_paths.AgentSnapshot("alice")));
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("applied_seq").GetInt64().Should().Be(1);
        json.RootElement.GetProperty("inbox")[0].GetProperty("id").GetString().Should().Be("m1");
    }

    [Fact]
    public async Task SaveAgentAsync_RenameFails_ThrowsAndLeavesNoTempFile()
    {
        await using var log = OpenLog();
        await Put(log, "alice", "m1");
        var loaded = await _store.LoadAgentAsync("alice", log);
        var path = _paths.AgentSnapshot("alice");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep.txt"), "a directory in the snapshot's place");

        var act = async () => await _store.SaveAgentAsync(loaded.Snapshot);

        await act.Should().ThrowAsync<IOException>();
        File.Exists(path + ".tmp").Should().BeFalse("a failed replacement must not leave its temp file behind");
        File.ReadAllText(Path.Combine(path, "keep.txt")).Should().Be("a directory in the snapshot's place");
    }

    [Theory]
    [InlineData("{\"version\": 2, \"agent\": \"alice\"}", "2")]
    [InlineData("{\"version\": 0, \"agent\": \"alice\"}", "0")]
    [InlineData("{\"agent\": \"alice\"}", "(missing)")]
    public async Task LoadAgentAsync_OtherSchemaVersion_RefusedNamingFileVersionsAndRemedy(string content, string found)
    {
        await using var log = OpenLog();
        var path = _paths.AgentSnapshot("alice");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);

        var act = async () => await _store.LoadAgentAsync("alice", log);
        var ex = (await act.Should().ThrowAsync<StateSchemaVersionException>()).Which;
        ex.Message.Should().Contain(path).And.Contain($"schema version {found}").And.Contain("schema version 1")
            .And.Contain("reyn state reset --yes").And.Contain(".reyn/events/");
        File.ReadAllText(path).Should().Be(content, "a refused snapshot is left as it is");
    }

    [Fact]
    public async Task LoadAgentAsync_InvalidJson_RebuiltFromWalAndReported()
    {
        await using var log = OpenLog();
        await Put(log, "alice", "m1");
        await Put(log, "alice", "m2");
        var path = _paths.AgentSnapshot("alice");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"version\": 1, \"inbox\": [tru");

        var result = await _store.LoadAgentAsync("alice", log);

        result.Status.Should().Be(SnapshotLoadStatus.Rebuilt);
        result.Problem.Should().Contain("not valid JSON").And.Contain("rebuilt from the WAL");
        result.Snapshot.Inbox.Select(m => m.Id).Should().Equal("m1", "m2");
        File.ReadAllText(result.AsidePath!).Should().Be("{\"version\": 1, \"inbox\": [tru", "the unreadable file is kept aside");
    }

    [Fact]
    public async Task SkillRun_SaveLoadListDelete_RoundTrips()
    {
        await using var log = OpenLog();
        await log.AppendAsync(WalKinds.SkillStarted, Fields(("agent", "alice"), ("run_id", "r1"), ("skill_name", "blog"), ("skill_input", new Dictionary<string, object?> { ["topic"] = "wal" })));
        await log.AppendAsync(WalKinds.SkillPhaseAdvanced, Fields(("run_id", "r1"), ("next_phase", "draft"), ("last_phase_artifact_path", "ws/plan.md")));
        var loaded = await _store.LoadSkillRunAsync("alice", "r1", log);
        await _store.SaveSkillRunAsync(loaded.Snapshot);
        await log.AppendAsync(WalKinds.SkillPhaseAdvanced, Fields(("run_id", "r1"), ("next_phase", "review"), ("last_phase_artifact_path", "ws/draft.md")));

        var again = await _store.LoadSkillRunAsync("alice", "r1", log);
        again.Status.Should().Be(SnapshotLoadStatus.Loaded);
        again.Snapshot.Skill.Should().Be("blog");
        again.Snapshot.Input!.Value.GetProperty("topic").GetString().Should().Be("wal");
        again.Snapshot.History.Should().Equal("draft", "review");
        again.Snapshot.CurrentPhase.Should().Be("review");
        again.Snapshot.LastPhaseArtifactPath.Should().Be("ws/draft.md");
        _store.ListSkillRuns("alice").Should().Equal("r1");
        _store.DeleteSkillRun("alice", "r1");
        _store.ListSkillRuns("alice").Should().BeEmpty();
    }

    [Fact]
    public void StatePaths_UnsafeAgentName_Throws()
    {
        var act = () => _paths.AgentSnapshot("../etc");
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("not a valid agent");
    }

    [Fact]
    public async Task Generations_ReconstructAtSeq_UsesNearestGenerationBelowPlusReplay()
    {
        await using var log = OpenLog();
        var generations = new SnapshotGenerations(_paths, "alice");
        var live = AgentSnapshot.Empty("alice");
        for (var i = 1; i <= 9; i++)
        {
            await Put(log, "alice", "m" + i);
            if (i % 3 == 0)
            {
                await foreach (var record in log.ReadFromAsync(live.AppliedSeq + 1))
                {
                    live.Apply(record);
                }

                generations.Cut(live);
            }
        }

        generations.List().Should().Equal(3, 6, 9);
        var at5 = await generations.ReconstructAsync(5, log);
        at5.AppliedSeq.Should().Be(5);
        at5.Inbox.Select(m => m.Id).Should().Equal("m1", "m2", "m3", "m4", "m5");
        var at2 = await generations.ReconstructAsync(2, log);
        at2.Inbox.Should().HaveCount(2, "no generation at or below 2: replay from the start");

        // Make the WAL unable to explain anything before gen-6: reconstruct(7) must come from gen-6.
        await log.TruncateBelowAsync(7);
        var at7 = await generations.ReconstructAsync(7, log);
        at7.Inbox.Select(m => m.Id).Should().Equal("m1", "m2", "m3", "m4", "m5", "m6", "m7");

        generations.PruneBelow(7).Should().Be(1);
        generations.List().Should().Equal(6, 9);
    }

    [Fact]
    public async Task Reset_DeletesWalAndSnapshotsButNeverEvents_AndIsIdempotent()
    {
        await using (var log = OpenLog())
        {
            await Put(log, "alice", "m1");
            var result = await _store.LoadAgentAsync("alice", log);
            await _store.SaveAgentAsync(result.Snapshot);
            await _store.SaveSkillRunAsync(new SkillRunSnapshot { Agent = "alice", RunId = "r1" });
            new SnapshotGenerations(_paths, "alice").Cut(result.Snapshot);
        }

        var events = _dir.Combine(".reyn", "events", "2026-01", "run.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(events)!);
        File.WriteAllText(events, "{\"type\":\"x\"}\n");
        var workspace = _dir.Combine(".reyn", "agents", "alice", "workspace", "keep.md");
        Directory.CreateDirectory(Path.GetDirectoryName(workspace)!);
        File.WriteAllText(workspace, "artifact");

        var deleted = StateReset.Run(_paths.Root);
        deleted.Should().Contain(_paths.Wal).And.Contain(_paths.AgentSnapshot("alice")).And.Contain(_paths.SkillRuns("alice"));
        File.Exists(_paths.Wal).Should().BeFalse();
        File.Exists(_paths.AgentSnapshot("alice")).Should().BeFalse();
        Directory.Exists(_paths.SkillRuns("alice")).Should().BeFalse();
        Directory.Exists(_paths.Generations("alice")).Should().BeFalse();
        File.ReadAllText(events).Should().Be("{\"type\":\"x\"}\n");
        File.Exists(workspace).Should().BeTrue();

        StateReset.Run(_paths.Root).Should().BeEmpty("a second reset finds nothing to delete");
    }

    [Fact]
    public async Task Reset_WhileWriterHoldsWal_RefusesAndDeletesNothing()
    {
        await using var log = OpenLog();
        await Put(log, "alice", "m1");
        var act = () => StateReset.Run(_paths.Root);
        act.Should().Throw<StateLogLockedException>();
        File.Exists(_paths.Wal).Should().BeTrue();
    }
}
