using System.Diagnostics;
using System.Globalization;
using Reyn.Testing;
using Xunit.Abstractions;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

/// <summary>Real child processes appending in Always mode, killed with SIGKILL at random moments.</summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 60;
    private const int Lanes = 3;
    private readonly TempDirectory _dir = new("reyn-wal-crash");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AppendAsync_ChildKilledWithSigkill60Times_EveryAcknowledgedRecordIsPresentIntactAndGapFree()
    {
        // Three independent logs in parallel (20 kills each) keep the wall time down on a small machine.
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var lanes = await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane =>
            Task.Run(() => RunLaneAsync(_dir.Combine("lane" + lane, "state", "wal.jsonl"), new Random(seed + lane), Kills / Lanes))));

        var total = lanes.Sum(l => l.Acknowledged);
        output.WriteLine($"{Kills} kills ({lanes.Sum(l => l.KilledBeforeReady)} before ready), {total} acknowledged records");
        total.Should().BeGreaterThan(Kills, "the children made progress between kills");
    }

    [Fact]
    public async Task Open_WhileAnotherProcessWrites_ThrowsLockedAndLeavesTheirRecordsIntact()
    {
        var walPath = _dir.Combine("locked", "state", "wal.jsonl");
        using var child = StartChild(walPath, 1);
        try
        {
            string? line;
            do
            {
                line = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            while (line is not null && !line.StartsWith("ack ", StringComparison.Ordinal));

            var act = () => FileStateLog.Open(Options(walPath));
            act.Should().Throw<StateLogLockedException>().Which.Message.Should().Contain("another process");
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        await using var log = FileStateLog.Open(Options(walPath));
        log.LastDurableSeq.Should().BeGreaterThan(0, "the lock dies with the killed process");
    }

    private static async Task<(int Acknowledged, int KilledBeforeReady)> RunLaneAsync(string walPath, Random random, int kills)
    {
        var acknowledged = new Dictionary<long, (int Writer, int I)>();
        var killedBeforeReady = 0;
        for (var round = 0; round < kills; round++)
        {
            var writers = random.Next(1, 9);
            // Mostly kill after a random number of acks; sometimes immediately (during start-up or recovery).
            var killAfterAcks = random.Next(10) == 0 ? -1 : random.Next(0, 30);
            using var child = StartChild(walPath, writers);
            var acks = 0;
            if (killAfterAcks < 0)
            {
                child.Kill();
                killedBeforeReady++;
            }
            else
            {
                while (await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
                {
                    if (line.StartsWith("ack ", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ');
                        var seq = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        acknowledged.Add(seq, (int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)));
                        acks++;
                    }

                    if (line.StartsWith("ready", StringComparison.Ordinal) && killAfterAcks == 0 || acks >= killAfterAcks && acks > 0)
                    {
                        child.Kill(); // SIGKILL on Unix
                        break;
                    }
                }
            }

            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            // Drain acks printed before the kill landed: they were acknowledged too.
            while (await child.StandardOutput.ReadLineAsync() is { } rest)
            {
                var parts = rest.Split(' ');
                if (parts.Length == 4 && parts[0] == "ack")
                {
                    acknowledged.Add(long.Parse(parts[1], CultureInfo.InvariantCulture), (int.Parse(parts[2], CultureInfo.InvariantCulture), int.Parse(parts[3], CultureInfo.InvariantCulture)));
                }
            }

            await AssertEveryAcknowledgedRecordSurvivesAsync(walPath, acknowledged, round);
        }

        return (acknowledged.Count, killedBeforeReady);
    }

    private static async Task AssertEveryAcknowledgedRecordSurvivesAsync(string walPath, Dictionary<long, (int Writer, int I)> acknowledged, int round)
    {
        if (!File.Exists(walPath))
        {
            acknowledged.Should().BeEmpty();
            return;
        }

        // Reopening recovers exactly as the next child would (torn tail cut and kept aside).
        await using var log = FileStateLog.Open(Options(walPath));
        var records = await ReadAllAsync(log);
        records.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), $"seqs are gap-free after kill {round}");
        var bySeq = records.ToDictionary(r => r.Seq);
        foreach (var (seq, (writer, i)) in acknowledged)
        {
            bySeq.Should().ContainKey(seq, $"acknowledged seq {seq} must survive kill {round}");
            bySeq[seq].Int("writer").Should().Be(writer);
            bySeq[seq].Int("i").Should().Be(i);
            bySeq[seq].Get("payload").GetString().Should().HaveLength(40 + (writer * 37 % 200));
        }
    }

    private static Process StartChild(string walPath, int writers)
    {
        var directory = AppContext.BaseDirectory;
        var appHost = Path.Combine(directory, OperatingSystem.IsWindows() ? "Reyn.State.CrashHost.exe" : "Reyn.State.CrashHost");
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(directory, "Reyn.State.CrashHost.dll") } };
        start.ArgumentList.Add(walPath);
        start.ArgumentList.Add(writers.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = false;
        start.UseShellExecute = false;
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a SIGKILLed runtime cannot remove its diagnostic pipes from /tmp
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the crash host");
    }
}
