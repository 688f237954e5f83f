using Reyn.Events;
using Reyn.Testing;

namespace Reyn.Scheduling.Tests.Support;

/// <summary>A scheduler over a manual clock, a recording sink, a fake runner and a real status file in a temp directory.</summary>
internal sealed class SchedulerFixture : IAsyncDisposable
{
    public SchedulerFixture(DateTimeOffset? start = null, TempDirectory? root = null)
    {
        Root = root ?? new TempDirectory("reyn-cron");
        Clock = new ManualTimeProvider(start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Pipeline = new EventPipeline(timeProvider: Clock);
        Pipeline.AddSink(Sink);
        Store = CronStatusStore.ForRoot(Root.Path);
        Scheduler = NewScheduler();
    }

    public TempDirectory Root { get; }

    public ManualTimeProvider Clock { get; }

    public EventPipeline Pipeline { get; }

    public RecordingSink Sink { get; } = new();

    public FakeJobRunner Runner { get; } = new();

    public CronStatusStore Store { get; }

    public CronScheduler Scheduler { get; private set; }

    /// <summary>A second scheduler over the same clock, status file and sink, as after a process restart.</summary>
    public CronScheduler NewScheduler() => new(Runner, new EventLog(Pipeline), Clock, Store);

    public void Restart(CronScheduler replacement) => Scheduler = replacement;

    public async ValueTask DisposeAsync()
    {
        Runner.Release();
        await Scheduler.DisposeAsync();
        Root.Dispose();
    }
}
