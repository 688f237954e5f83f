using Reyn.Cli.Tests.Events.Support;
using static Reyn.Cli.Tests.Events.Support.EventsCliFixture;

namespace Reyn.Cli.Tests.Events;

public sealed class EventsPurgeCommandTests : IDisposable
{
    private readonly EventsCliFixture _f = new();

    public void Dispose() => _f.Dispose();

    private (string Old, string Boundary, string New) Seed()
    {
        var old = _f.WriteJsonl("2026-03/run-old.jsonl", Line("chat_started", "2026-03-01T10:00:00Z"));
        var boundary = _f.WriteJsonl("2026-04/run-boundary.jsonl", Line("chat_started", "2026-04-01T00:00:00Z"));
        var recent = _f.WriteJsonl("2026-05/run-new.jsonl", Line("chat_started", "2026-05-01T10:00:00Z"));
        File.SetLastWriteTimeUtc(old, new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(boundary, new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(recent, new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc));
        return (old, boundary, recent);
    }

    [Fact]
    public async Task Purge_Before_DeletesOnlyFilesLastWrittenStrictlyBefore()
    {
        var (old, boundary, recent) = Seed();

        var result = await _f.RunAsync("events", "purge", "--before", "2026-04-01");

        result.ExitCode.Should().Be(0, result.Error);
        File.Exists(old).Should().BeFalse();
        File.Exists(boundary).Should().BeTrue("a file written exactly at the cutoff is not before it");
        File.Exists(recent).Should().BeTrue();
        Directory.Exists(Path.GetDirectoryName(old)).Should().BeFalse("an emptied month directory is removed");
        result.Out.Should().Contain("delete: ").And.Contain("run-old.jsonl").And.Contain("Deleted 1 of 3 files.");
    }

    [Fact]
    public async Task Purge_DryRun_ListsButDeletesNothing()
    {
        var (old, boundary, recent) = Seed();

        var result = await _f.RunAsync("events", "purge", "--before", "2026-04-02", "--dry-run", "--json");

        result.ExitCode.Should().Be(0, result.Error);
        File.Exists(old).Should().BeTrue();
        File.Exists(boundary).Should().BeTrue();
        using var json = result.Json();
        json.RootElement.GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetString())).Should().Equal("run-old.jsonl", "run-boundary.jsonl");
        json.RootElement.GetProperty("deletedCount").GetInt32().Should().Be(0);
        json.RootElement.GetProperty("dryRun").GetBoolean().Should().BeTrue();
        File.Exists(recent).Should().BeTrue();
    }

    [Fact]
    public async Task Purge_DoesNotTouchTheActivityStore()
    {
        Seed();
        await _f.SeedAsync(Event(Reyn.Events.EventTypes.ChatStarted, T0));
        File.SetLastWriteTimeUtc(_f.DbPath, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        await _f.RunAsync("events", "purge", "--before", "2026-12-01");

        File.Exists(_f.DbPath).Should().BeTrue();
    }

    [Fact]
    public async Task Purge_WithoutBefore_ExitsTwo()
    {
        var result = await _f.RunAsync("events", "purge");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--before");
    }

    [Fact]
    public async Task Purge_BadDate_ExitsTwoAndDeletesNothing()
    {
        var (old, _, _) = Seed();

        var result = await _f.RunAsync("events", "purge", "--before", "last tuesday");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("Bad value for --before");
        File.Exists(old).Should().BeTrue();
    }
}
