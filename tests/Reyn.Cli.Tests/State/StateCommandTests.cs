using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Events;
using Reyn.State;
using Reyn.Testing;

namespace Reyn.Cli.Tests.State;

public sealed class StateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-cli-state");
    private readonly string _root;

    public StateCommandTests()
    {
        _root = _dir.Combine(".reyn");
        Directory.CreateDirectory(_root);
    }

    private string WalPath => Path.Combine(_root, "state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    private async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ReynCli.RunAsync([.. args, "--root", _root], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task WriteWalAsync(int records)
    {
        await using var log = FileStateLog.Open(new FileStateLogOptions { Path = WalPath });
        for (var i = 1; i <= records; i++)
        {
            await log.AppendAsync(WalKinds.InboxPut, new EventData { ["target"] = "alice", ["msg_id"] = "m" + i });
        }
    }

    private void CorruptRecord(int index)
    {
        var bytes = File.ReadAllBytes(WalPath);
        var start = 0;
        for (var line = 0; line < index; line++)
        {
            start = Array.IndexOf(bytes, (byte)'\n', start) + 1;
        }

        bytes[start + 15] ^= 0xFF;
        File.WriteAllBytes(WalPath, bytes);
    }

    private static long LineStart(string path, int index)
    {
        var bytes = File.ReadAllBytes(path);
        var start = 0;
        for (var line = 0; line < index; line++)
        {
            start = Array.IndexOf(bytes, (byte)'\n', start) + 1;
        }

        return start;
    }

    [Fact]
    public async Task Wal_Json_PrintsVersionOneAndRecordsFromSeq()
    {
        await WriteWalAsync(5);
        var (exit, output, _) = await Run("state", "wal", "--from", "3", "--json");
        exit.Should().Be(ExitCodes.Success);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        var records = doc.RootElement.GetProperty("records");
        records.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).Should().Equal(3, 4, 5);
        records[0].GetProperty("kind").GetString().Should().Be("inbox_put");
        records[0].GetProperty("fields").GetProperty("msg_id").GetString().Should().Be("m3");
    }

    [Fact]
    public async Task Wal_Json_TimestampIsTheTextTheWalHolds()
    {
        await WriteWalAsync(1);
        using var line = JsonDocument.Parse(File.ReadLines(WalPath).First());
        var (_, output, _) = await Run("state", "wal", "--json");

        using var doc = JsonDocument.Parse(output);
        var ts = doc.RootElement.GetProperty("records")[0].GetProperty("ts").GetString();
        ts.Should().Be(line.RootElement.GetProperty("ts").GetString()).And.EndWith("Z");
    }

    [Fact]
    public async Task Wal_Text_PrintsOneLinePerRecord()
    {
        await WriteWalAsync(2);
        var (exit, output, _) = await Run("state", "wal");
        exit.Should().Be(ExitCodes.Success);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2);
        output.Should().Contain("inbox_put").And.Contain("\"msg_id\":\"m2\"");
    }

    [Fact]
    public async Task Wal_TextAndJson_ShowNonAsciiAndPunctuationAsWritten()
    {
        const string text = "explore → classify (×2) + <done> it's `ok`";
        await using (var log = FileStateLog.Open(new FileStateLogOptions { Path = WalPath }))
        {
            await log.AppendAsync(WalKinds.InboxPut, new EventData { ["target"] = "alice", ["note"] = text });
        }

        var (_, textOut, _) = await Run("state", "wal");
        var (_, jsonOut, _) = await Run("state", "wal", "--json");

        textOut.Should().Contain(text);
        jsonOut.Should().Contain(text).And.NotContain("\\u");
        using var doc = JsonDocument.Parse(jsonOut);
        doc.RootElement.GetProperty("records")[0].GetProperty("fields").GetProperty("note").GetString().Should().Be(text);
    }

    [Fact]
    public async Task Wal_NegativeFrom_IsUserError()
    {
        var (exit, _, err) = await Run("state", "wal", "--from", "-1");
        exit.Should().Be(ExitCodes.UserError);
        err.Should().Contain("--from");
    }

    [Fact]
    public async Task Verify_HealthyLog_ExitZeroWithCounts()
    {
        await WriteWalAsync(3);
        var (exit, output, _) = await Run("state", "verify", "--json");
        exit.Should().Be(ExitCodes.Success);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        doc.RootElement.GetProperty("healthy").GetBoolean().Should().BeTrue();
        doc.RootElement.GetProperty("records").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task VerifyThenRepair_CorruptMiddleRecord_ReportsOffsetThenKeepsEveryValidRecord()
    {
        await WriteWalAsync(4);
        var offset = LineStart(WalPath, 1);
        CorruptRecord(1);

        var (verifyExit, verifyOut, _) = await Run("state", "verify");
        verifyExit.Should().Be(ExitCodes.Failure);
        verifyOut.Should().Contain($"byte offset {offset}").And.Contain("reyn state repair");

        var (repairExit, repairOut, _) = await Run("state", "repair", "--json");
        repairExit.Should().Be(ExitCodes.Success);
        using var doc = JsonDocument.Parse(repairOut);
        doc.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        doc.RootElement.GetProperty("kept_records").GetInt32().Should().Be(3);
        File.Exists(doc.RootElement.GetProperty("aside_path").GetString()).Should().BeTrue();

        (await Run("state", "verify")).Exit.Should().Be(ExitCodes.Success);
        var (_, walOut, _) = await Run("state", "wal", "--json");
        using var wal = JsonDocument.Parse(walOut);
        wal.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).Should().Equal(1, 3, 4);
    }

    [Fact]
    public async Task Reset_WithoutYes_IsUserErrorAndDeletesNothing()
    {
        await WriteWalAsync(1);
        var (exit, _, err) = await Run("state", "reset");
        exit.Should().Be(ExitCodes.UserError);
        err.Should().Contain("--yes");
        File.Exists(WalPath).Should().BeTrue();
    }

    [Fact]
    public async Task Reset_WithYes_DeletesStateKeepsEventsAndIsIdempotent()
    {
        await WriteWalAsync(1);
        var events = Path.Combine(_root, "events", "2026-01", "s.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(events)!);
        File.WriteAllText(events, "{}\n");

        var (exit, output, _) = await Run("state", "reset", "--yes", "--json");
        exit.Should().Be(ExitCodes.Success);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        doc.RootElement.GetProperty("deleted").EnumerateArray().Select(e => e.GetString()).Should().Contain(WalPath);
        File.Exists(WalPath).Should().BeFalse();
        File.Exists(events).Should().BeTrue();

        var again = await Run("state", "reset", "--yes");
        again.Exit.Should().Be(ExitCodes.Success);
        again.Out.Should().Contain("Nothing to reset");
    }

    [Fact]
    public async Task Repair_WhileWriterHoldsLog_FailsWithLockMessage()
    {
        await WriteWalAsync(1);
        await using var log = FileStateLog.Open(new FileStateLogOptions { Path = WalPath });
        var (exit, _, err) = await Run("state", "repair");
        exit.Should().Be(ExitCodes.Failure);
        err.Should().Contain("already open for writing");
    }
}
