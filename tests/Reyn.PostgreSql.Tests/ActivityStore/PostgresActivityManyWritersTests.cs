using System.Diagnostics;
using System.Globalization;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.PostgreSql.Tests.Support;

namespace Reyn.PostgreSql.Tests.ActivityStore;

public sealed class PostgresActivityManyWritersTests : IDisposable
{
    private const int Writers = 4;
    private const int EventsPerWriter = 2000;
    private readonly string _schema = PostgresServer.NewSchema();

    public void Dispose()
    {
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }

    [PostgresFact]
    public async Task Write_FourProcessesAtOnce_LoseNothingAndSearchSeesAll()
    {
        var processes = Enumerable.Range(0, Writers).Select(i => StartWriter("writer" + i)).ToList();
        try
        {
            foreach (var p in processes)
            {
                (await p.StandardOutput.ReadLineAsync()).Should().Be("ready");
            }

            foreach (var p in processes)
            {
                await p.StandardInput.WriteLineAsync("go");
                await p.StandardInput.FlushAsync();
            }

            foreach (var p in processes)
            {
                var output = await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync();
                output.Should().Contain($"written={EventsPerWriter} dropped=0", await p.StandardError.ReadToEndAsync());
                p.ExitCode.Should().Be(0);
            }
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }

                p.Dispose();
            }
        }

        await using var store = new PostgresActivityStore(PostgresServer.ConnectionString!, _schema);
        var stats = await store.GetStatsAsync(new ActivityQuery { Since = DateTimeOffset.UtcNow.AddHours(-1), Until = DateTimeOffset.UtcNow.AddMinutes(1) });
        stats.Total.Should().Be(Writers * EventsPerWriter);
        stats.DroppedEventCount.Should().Be(0);
        for (var i = 0; i < Writers; i++)
        {
            var agent = "writer" + i;
            (await store.GetStatsAsync(new ActivityQuery { Agent = agent, Since = DateTimeOffset.UtcNow.AddHours(-1) })).Total.Should().Be(EventsPerWriter);
            (await store.SearchAsync(agent + "_marker", new ActivityQuery { Limit = ActivityQuery.MaxLimit })).Events
                .Should().HaveCount(ActivityQuery.MaxLimit, "search sees writer {0}'s rows", agent);
            (await store.SearchAsync("op1999", new ActivityQuery { Agent = agent })).Events.Should().ContainSingle();
        }

        (await store.SearchAsync("op1999", new ActivityQuery())).Events.Should().HaveCount(Writers, "the GIN index holds every writer's rows");
    }

    private Process StartWriter(string tag)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Reyn.PostgreSql.WriterHost.dll");
        File.Exists(hostDll).Should().BeTrue($"the writer host is built next to the tests ({hostDll})");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath : "dotnet";
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(hostDll);
        info.ArgumentList.Add(PostgresServer.ConnectionString!);
        info.ArgumentList.Add(_schema);
        info.ArgumentList.Add(EventsPerWriter.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(tag);
        return Process.Start(info)!;
    }
}
