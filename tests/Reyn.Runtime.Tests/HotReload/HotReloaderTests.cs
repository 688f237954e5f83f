using Reyn.Events;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class HotReloaderTests
{
    private const string OneJob = "cron:\n  jobs:\n    - name: a\n      schedule: \"0 9 * * *\"\n      skill: s\n";

    [Fact]
    public void RequestReload_OnlySchedules_NothingReadAppliedOrEmitted()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reader = new RecordingFileReader(workspace.Root);
        var reloader = new HotReloader(new InSetLoader(workspace.Root, reader), log, [new RecordingSeam("cron", calls)]);
        var boot = reloader.Current;
        var readsAtBoot = reader.Paths.Count;
        workspace.Write("cron.yaml", OneJob);

        reloader.RequestReload(ReloadSources.Operator);

        reloader.IsPending.Should().BeTrue();
        reloader.PendingSource.Should().Be("operator");
        reader.Paths.Should().HaveCount(readsAtBoot, "scheduling reads nothing");
        calls.Should().BeEmpty();
        sink.Events.Should().BeEmpty();
        reloader.Current.Should().BeSameAs(boot);
    }

    [Fact]
    public async Task ApplyPending_NothingPending_ReturnsNullAndEmitsNothing()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", OneJob);
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", calls)]);

        var outcome = await reloader.ApplyPendingAsync();

        outcome.Should().BeNull();
        calls.Should().BeEmpty();
        sink.Events.Should().BeEmpty();
    }

    [Fact]
    public async Task ApplyPending_SeveralRequestsInOneTurn_CollapseIntoOneApplyWithLastSource()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", calls)]);

        reloader.RequestReload(ReloadSources.FileWatch);
        reloader.RequestReload(ReloadSources.LlmOp);
        reloader.RequestReload(ReloadSources.Operator);
        var first = await reloader.ApplyPendingAsync();
        var second = await reloader.ApplyPendingAsync();

        first!.Source.Should().Be("operator");
        second.Should().BeNull("the three requests were one reload");
        calls.Should().Equal("cron");
        var reloaded = sink.OfType(EventTypes.ConfigReloaded).Should().ContainSingle().Subject;
        reloaded.Data.GetString("source").Should().Be("operator");
        reloader.IsPending.Should().BeFalse();
    }

    [Fact]
    public async Task ApplyPending_SeamsRunInOrder_ComponentsListOnlyChangedSeams()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log,
        [
            new RecordingSeam("cron", calls, changed: true),
            new RecordingSeam("mcp", calls, changed: false),
            new RecordingSeam("per_agent_capability", calls, changed: true),
            new RecordingSeam("new_agent", calls, changed: false),
            new RecordingSeam("hooks", calls, changed: true),
        ]);

        reloader.RequestReload(ReloadSources.Operator);
        var outcome = await reloader.ApplyPendingAsync();

        calls.Should().Equal("cron", "mcp", "per_agent_capability", "new_agent", "hooks");
        outcome!.Components.Should().Equal("cron", "per_agent_capability", "hooks");
        outcome.Failed.Should().BeEmpty();
        var data = sink.OfType(EventTypes.ConfigReloaded).Single().Data;
        data["components"].Should().BeEquivalentTo(new[] { "cron", "per_agent_capability", "hooks" }, o => o.WithStrictOrdering());
        data["failed"].Should().BeEquivalentTo(Array.Empty<string>());
    }

    [Fact]
    public async Task ApplyPending_SeamThrows_ListedInFailedAndOthersStillRun()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var logger = new ListLogger<HotReloader>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log,
        [
            new RecordingSeam("cron", calls, changed: true),
            new RecordingSeam("mcp", calls, @throw: true),
            new RecordingSeam("hooks", calls, changed: true),
        ], logger: logger);

        reloader.RequestReload(ReloadSources.Operator);
        var outcome = await reloader.ApplyPendingAsync();

        calls.Should().Equal("cron", "mcp", "hooks");
        outcome!.Components.Should().Equal("cron", "hooks");
        outcome.Failed.Should().Equal("mcp");
        sink.OfType(EventTypes.ConfigReloaded).Single().Data["failed"].Should().BeEquivalentTo(new[] { "mcp" });
        logger.Warnings.Should().ContainSingle().Which.Should().Contain("mcp");
    }

    [Fact]
    public async Task ApplyPending_MalformedInSet_RejectedWithFileAndLine_NoSeamRuns_LiveConfigUnchanged()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", OneJob);
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", calls), new RecordingSeam("hooks", calls)]);
        var live = reloader.Current;
        workspace.Write("cron.yaml", "cron:\n  jobs:\n    - name: a\n      schedule: \"0 9 * * *\"\n      skill: s\n    - name: b\n");
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push:\n      message: fine\n");

        reloader.RequestReload(ReloadSources.LlmOp);
        var outcome = await reloader.ApplyPendingAsync();

        outcome!.Rejected.Should().BeTrue();
        calls.Should().BeEmpty("validation runs before any seam");
        reloader.Current.Should().BeSameAs(live);
        reloader.Current.Cron.Jobs.Should().ContainSingle().Which.Name.Should().Be("a");
        sink.OfType(EventTypes.ConfigReloaded).Should().BeEmpty();
        var rejected = sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle().Subject.Data;
        rejected.GetString("source").Should().Be("llm_op");
        rejected.GetString("reason").Should().StartWith(".reyn/cron.yaml:6: cron.jobs[1].skill: is missing");
        rejected.GetString("file").Should().Be(".reyn/cron.yaml");
        rejected["line"].Should().Be(6);
        EventCatalog.TryGet(EventTypes.ConfigReloadRejected, out var kind).Should().BeTrue();
        kind.RequiredFields.Should().OnlyContain(f => rejected.ContainsKey(f));
    }

    [Fact]
    public async Task ApplyPending_RejectedThenFixed_NextTurnApplies()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", calls)]);
        workspace.Write("cron.yaml", "cron: [\n");
        reloader.RequestReload(ReloadSources.Operator);
        (await reloader.ApplyPendingAsync())!.Rejected.Should().BeTrue();

        workspace.Write("cron.yaml", OneJob);
        reloader.RequestReload(ReloadSources.Operator);
        var outcome = await reloader.ApplyPendingAsync();

        outcome!.Rejected.Should().BeFalse();
        calls.Should().Equal("cron");
        reloader.Current.Cron.Jobs.Should().ContainSingle();
        sink.Events.Select(e => e.Type).Should().Equal(EventTypes.ConfigReloadRejected, EventTypes.ConfigReloaded);
    }

    [Fact]
    public async Task ApplyPending_ReaderFailsUnexpectedly_RejectsInsteadOfThrowing()
    {
        using var workspace = new InSetWorkspace();
        var (log, sink) = RecordingEventSink.CreateLog();
        var reader = new ThrowingFileReader();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root, reader), log, [new RecordingSeam("cron", calls)]);
        reader.Throw = true;

        reloader.RequestReload(ReloadSources.Operator);
        var act = async () => await reloader.ApplyPendingAsync();

        var outcome = (await act.Should().NotThrowAsync()).Subject;
        outcome!.Rejected.Should().BeTrue();
        outcome.Reason.Should().Contain("disk on fire");
        calls.Should().BeEmpty();
        sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle();
    }

    [Fact]
    public async Task ApplyPending_FileDeleted_ComponentBecomesEmpty()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", OneJob);
        var (log, _) = RecordingEventSink.CreateLog();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", [])]);
        reloader.Current.Cron.Jobs.Should().ContainSingle();

        Directory.Delete(workspace.Root, recursive: true);
        reloader.RequestReload(ReloadSources.Operator);
        var outcome = await reloader.ApplyPendingAsync();

        outcome!.Rejected.Should().BeFalse();
        reloader.Current.Cron.Jobs.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_DuplicateSeamNames_Throws()
    {
        using var workspace = new InSetWorkspace();
        var (log, _) = RecordingEventSink.CreateLog();

        var act = () => new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", []), new RecordingSeam("cron", [])]);

        act.Should().Throw<ArgumentException>().WithMessage("*named 'cron'*unique*");
    }
}
