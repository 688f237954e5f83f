using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Reyn.Events.ActivityStore;
using Reyn.Testing;

namespace Reyn.Events.Tests.ActivityStore;

/// <summary>Two real child processes write the same store at the same time; nothing is lost.</summary>
public sealed class ActivityStoreMultiProcessTests : IDisposable
{
    private const int EventsPerProcess = 3000;
    private readonly TempDirectory _dir = new("reyn-activity-mp");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Write_TwoProcessesAtOnce_LoseNothing()
    {
        var db = _dir.Combine("events.db");
        using var a = StartWriter(db, "writer-a");
        using var b = StartWriter(db, "writer-b");
        (await a.StandardOutput.ReadLineAsync()).Should().Be("ready");
        (await b.StandardOutput.ReadLineAsync()).Should().Be("ready");

        await a.StandardInput.WriteLineAsync("go");
        await b.StandardInput.WriteLineAsync("go");
        await a.StandardInput.FlushAsync();
        await b.StandardInput.FlushAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await Task.WhenAll(a.WaitForExitAsync(timeout.Token), b.WaitForExitAsync(timeout.Token));
        var outA = await a.StandardOutput.ReadToEndAsync();
        var outB = await b.StandardOutput.ReadToEndAsync();
        a.ExitCode.Should().Be(0, outA + await a.StandardError.ReadToEndAsync());
        b.ExitCode.Should().Be(0, outB + await b.StandardError.ReadToEndAsync());
        outA.Should().Contain($"written={EventsPerProcess} dropped=0");
        outB.Should().Contain($"written={EventsPerProcess} dropped=0");

        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT agent, COUNT(*), COUNT(DISTINCT json_extract(data, '$.audit_seq')),
                   MIN(json_extract(data, '$.audit_seq')), MAX(json_extract(data, '$.audit_seq'))
            FROM activity_events GROUP BY agent ORDER BY agent;
            """;
        using var reader = command.ExecuteReader();
        var rows = new List<(string Agent, long Count, long Distinct, long Min, long Max)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        rows.Should().Equal(
            ("writer-a", EventsPerProcess, EventsPerProcess, 1L, EventsPerProcess),
            ("writer-b", EventsPerProcess, EventsPerProcess, 1L, EventsPerProcess));

        (await new SqliteActivityStore(db).SearchAsync("op2999", new ActivityQuery())).Events.Should().HaveCount(2, "FTS indexed both writers' rows");
    }

    private static Process StartWriter(string db, string tag)
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Reyn.Events.ActivityWriterHost.dll");
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
        info.ArgumentList.Add(db);
        info.ArgumentList.Add(EventsPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(tag);
        return Process.Start(info)!;
    }
}
