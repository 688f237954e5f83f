using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Index;
using Reyn.PostgreSql.Tests.Support;
using Reyn.State;

namespace Reyn.PostgreSql.Tests.DependencyInjection;

public sealed class AddReynPostgreSqlTests : IDisposable
{
    private readonly string _schema = PostgresServer.NewSchema();

    public void Dispose()
    {
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }

    [PostgresFact]
    public async Task AddReynPostgreSql_OneCall_RegistersEveryBackendOnPostgreSql()
    {
        var services = new ServiceCollection();
        services.AddReynPostgreSql(PostgresServer.ConnectionString!, o => o.Schema = _schema);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IActivityStore>().Should().BeOfType<PostgresActivityStore>();
        provider.GetServices<IEventSink>().Should().ContainSingle().Which.Should().BeOfType<PostgresActivitySink>();
        provider.GetRequiredService<IIndexBackend>().Should().BeOfType<PostgresIndexBackend>();
        var log = provider.GetRequiredService<IStateLog>();
        log.Should().BeOfType<PostgresStateLog>();
        (await log.AppendAsync(WalKinds.StepStarted, new EventData { ["op"] = "x" })).Should().Be(1);

        var sink = provider.GetRequiredService<PostgresActivitySink>();
        sink.Write(new ReynEvent(EventTypes.ToolCalled, DateTimeOffset.UtcNow, new EventData { ["op"] = "grep" }));
        await sink.FlushAsync();
        (await provider.GetRequiredService<IActivityStore>().ListAsync(new ActivityQuery())).Events.Should().ContainSingle();
    }

    [PostgresFact]
    public async Task AddReynPostgreSql_ProviderDisposedSynchronously_QueuedEventPersisted()
    {
        var services = new ServiceCollection();
        services.AddReynPostgreSql(PostgresServer.ConnectionString!, o => o.Schema = _schema);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IStateLog>().AppendAsync(WalKinds.StepStarted, new EventData { ["op"] = "x" });
        provider.GetRequiredService<IActivityStore>();
        provider.GetRequiredService<PostgresActivitySink>().Write(new ReynEvent(EventTypes.ToolCalled, DateTimeOffset.UtcNow, new EventData { ["op"] = "grep" }));

        var dispose = () => provider.Dispose();

        dispose.Should().NotThrow("hosts may dispose the container synchronously (using var provider = ...), not only with DisposeAsync");
        var reader = new ServiceCollection();
        reader.AddReynPostgreSql(PostgresServer.ConnectionString!, o => o.Schema = _schema);
        await using var readerProvider = reader.BuildServiceProvider();
        (await readerProvider.GetRequiredService<IActivityStore>().ListAsync(new ActivityQuery())).Events.Should().ContainSingle("the sink persisted its queue when disposed");
    }

    [Fact]
    public async Task AddReynPostgreSql_MissingConnectionString_FailsAtStartWithAFix()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReynPostgreSql(" ");
        using var host = builder.Build();

        var act = async () => await host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("ConnectionString is required");
    }
}
