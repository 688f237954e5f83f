using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Testing;

namespace Reyn.Cli.Tests.Events;

/// <summary><c>AddReynActivityStore</c> wires the sink into <c>AddReynEvents</c> and the query API over the same file.</summary>
public sealed class ActivityStoreRegistrationTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-activity-di");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task AddReynActivityStore_DefaultPath_EventsFromEventLogAreQueryableAtRootEventsDb()
    {
        var root = _dir.Combine(".reyn");
        var services = new ServiceCollection()
            .AddReynEvents(o => o.RootDirectory = root)
            .AddReynActivityStore();
        await using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<EventLog>();
        log.Emit(EventTypes.ChatStarted, new EventData { [EventFields.SessionId] = "s-di" });
        await provider.GetRequiredService<EventPipeline>().FlushAsync();

        var page = await provider.GetRequiredService<IActivityStore>().ListAsync(new ActivityQuery { Session = "s-di" });
        page.Events.Should().ContainSingle().Which.Summary.Should().Be("Chat session s-di started");
        File.Exists(Path.Combine(root, "events.db")).Should().BeTrue();
        provider.GetServices<IEventSink>().OfType<ActivitySink>().Should().ContainSingle();
        provider.GetRequiredService<EventPipeline>().Sinks.OfType<ActivitySink>().Should().ContainSingle();
    }

    [Fact]
    public async Task AddReynActivityStore_CalledTwice_RegistersOneSink()
    {
        var services = new ServiceCollection()
            .AddReynEvents(o => o.RootDirectory = _dir.Path)
            .AddReynActivityStore(o => o.Path = _dir.Combine("custom.db"))
            .AddReynActivityStore();
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<EventPipeline>().Sinks.OfType<ActivitySink>().Should().ContainSingle()
            .Which.Path.Should().Be(_dir.Combine("custom.db"));
    }

    [Fact]
    public async Task AddReynActivityStore_InvalidOptions_FailValidationNamingTheOption()
    {
        var services = new ServiceCollection()
            .AddReynEvents(o => o.RootDirectory = _dir.Path)
            .AddReynActivityStore(o => o.QueueCapacity = 0);
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ActivityStoreOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*QueueCapacity must be positive*");
    }
}
