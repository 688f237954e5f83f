using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class InSetFileWatcherTests
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("mcp.yaml", true)]
    [InlineData("cron.yaml", true)]
    [InlineData("hooks.yaml", true)]
    [InlineData("agents/writer/profile.yaml", true)]
    [InlineData("agents/writer/hooks.yaml", true)]
    [InlineData("agents/writer", true)]
    [InlineData("reyn.yaml", false)]
    [InlineData("../reyn.yaml", false)]
    [InlineData("events/2026-01/run.jsonl", false)]
    [InlineData("agents/writer/state/snapshot.json", false)]
    [InlineData(".hooks.yaml.123.tmp", false)]
    [InlineData("agents/.hidden/hooks.yaml", false)]
    public void IsInSetPath_MatchesOnlyInSetFiles(string relative, bool expected)
    {
        using var workspace = new InSetWorkspace();
        using var watcher = new InSetFileWatcher(workspace.Root, new RecordingScheduler(), Debounce, new ManualTimeProvider());

        watcher.IsInSetPath(Path.Combine(workspace.Root, relative)).Should().Be(expected);
    }

    [Fact]
    public void Notify_BurstOfEdits_OneRequestAfterTheLastEditPlusDebounce()
    {
        using var workspace = new InSetWorkspace();
        var time = new ManualTimeProvider();
        var scheduler = new RecordingScheduler();
        using var watcher = new InSetFileWatcher(workspace.Root, scheduler, Debounce, time);

        watcher.Notify(workspace.PathOf("hooks.yaml"));
        time.Advance(TimeSpan.FromMilliseconds(400));
        watcher.Notify(workspace.PathOf("cron.yaml"));
        time.Advance(TimeSpan.FromMilliseconds(400));
        scheduler.Sources.Should().BeEmpty("the second edit restarted the debounce window");
        time.Advance(TimeSpan.FromMilliseconds(100));

        scheduler.Sources.Should().Equal("file_watch");
        time.Advance(TimeSpan.FromSeconds(10));
        scheduler.Sources.Should().Equal("file_watch");
    }

    [Fact]
    public void Notify_OutSetPath_Ignored()
    {
        using var workspace = new InSetWorkspace();
        var time = new ManualTimeProvider();
        var scheduler = new RecordingScheduler();
        using var watcher = new InSetFileWatcher(workspace.Root, scheduler, Debounce, time);

        watcher.Notify(workspace.ReynYaml);
        watcher.Notify(workspace.PathOf("reyn.yaml"));
        time.Advance(TimeSpan.FromSeconds(5));

        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public async Task RealEdit_OfInSetFile_RequestsFileWatchReload_AppliedOnlyAtTurnBoundary()
    {
        using var workspace = new InSetWorkspace();
        var time = new ManualTimeProvider();
        var (log, sink) = RecordingEventSink.CreateLog();
        var calls = new List<string>();
        var reloader = new HotReloader(new InSetLoader(workspace.Root), log, [new RecordingSeam("cron", calls)]);
        using var watcher = new InSetFileWatcher(workspace.Root, reloader, Debounce, time);
        var observed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.ChangeObserved += path => observed.TrySetResult(path);

        workspace.Write("cron.yaml", "cron:\n  jobs:\n    - name: a\n      schedule: \"0 9 * * *\"\n      skill: s\n");
        (await observed.Task.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(workspace.PathOf("cron.yaml"));
        reloader.IsPending.Should().BeFalse("the request waits for the debounce");
        time.Advance(Debounce);

        reloader.PendingSource.Should().Be("file_watch");
        calls.Should().BeEmpty("a watched edit is applied only at the turn boundary");
        reloader.Current.Cron.Jobs.Should().BeEmpty();

        var outcome = await reloader.ApplyPendingAsync();

        outcome!.Source.Should().Be("file_watch");
        reloader.Current.Cron.Jobs.Should().ContainSingle();
        sink.OfType(Reyn.Events.EventTypes.ConfigReloaded).Should().ContainSingle();
    }

    [Fact]
    public void Dispose_PendingDebounce_NeverFires()
    {
        using var workspace = new InSetWorkspace();
        var time = new ManualTimeProvider();
        var scheduler = new RecordingScheduler();
        var watcher = new InSetFileWatcher(workspace.Root, scheduler, Debounce, time);
        watcher.Notify(workspace.PathOf("hooks.yaml"));

        watcher.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        scheduler.Sources.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_MissingRoot_IsCreated()
    {
        using var workspace = new InSetWorkspace(createRoot: false);

        using var watcher = new InSetFileWatcher(workspace.Root, new RecordingScheduler(), Debounce, new ManualTimeProvider());

        Directory.Exists(workspace.Root).Should().BeTrue();
    }
}
