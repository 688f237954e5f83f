using Microsoft.Data.Sqlite;
using Reyn.Cli;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Testing;

namespace Reyn.Cli.Tests.Events.Support;

/// <summary>A temp <c>.reyn/</c> root with helpers to seed the activity store and JSONL files and to run <c>reyn</c> in-process.</summary>
internal sealed class EventsCliFixture : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 18, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new("reyn-cli-events");

    public EventsCliFixture()
    {
        Root = _dir.Combine(".reyn");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string DbPath => Path.Combine(Root, "events.db");

    public static ReynEvent Event(string type, DateTimeOffset timestamp, params (string Key, object? Value)[] fields)
    {
        var data = new EventData();
        foreach (var (key, value) in fields)
        {
            data.Set(key, value);
        }

        return new ReynEvent(type, timestamp, data);
    }

    public async Task SeedAsync(params ReynEvent[] events)
    {
        await using var sink = new ActivitySink(DbPath, new ActivityStoreOptions { Retention = TimeSpan.Zero });
        foreach (var e in events)
        {
            sink.Write(e);
        }

        await sink.FlushAsync();
    }

    public string WriteJsonl(string relative, params string[] lines)
    {
        var path = Path.Combine([Root, "events", .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    public static string Line(string type, string timestamp, string data = "{}") =>
        $"{{\"type\":\"{type}\",\"timestamp\":\"{timestamp}\",\"data\":{data}}}";

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ReynCli.RunAsync([.. args, "--root", Root], stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<CliResult> RunWithoutRootAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ReynCli.RunAsync(args, stdout, stderr);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}

/// <summary>What one <c>reyn</c> invocation produced.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public System.Text.Json.JsonDocument Json() => System.Text.Json.JsonDocument.Parse(Out);
}
