using System.Diagnostics;
using System.Globalization;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Resume;

/// <summary>
/// Crash resume with real processes: the crash host (tests/Reyn.Runtime.CrashHost) runs a 6-phase skill; it is killed
/// with SIGKILL (<see cref="Process.Kill()"/>) after a random number of ledger appends and restarted until the run
/// completes, for many seeds. Compared with an uninterrupted run of the same skill.
/// </summary>
public sealed class CrashResumeTests
{
    private const int RetrySeeds = 30;
    private const int SkipSeeds = 6;

    // The children mostly wait on fsync; a few at a time keep the class well under its time budget on 2 cores.
    private const int Parallelism = 6;

    [Fact]
    public async Task RestoreAsync_KilledAtRandomMomentsUnderRetry_FinishesWithSameOutputAndAtMostOneDuplicatePerKill()
    {
        var reference = await ReferenceAsync();
        await Parallel.ForAsync(0, RetrySeeds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (seed, _) =>
        {
            using var dir = new TempDirectory("reyn-crash");
            var (output, kills) = await RunUntilDoneAsync(dir.Path, "retry", new Random(seed), reference.Ledger.Count);
            var because = $"seed {seed} with {kills} kill(s)";

            output.Should().Be(reference.Output, because);
            var ledger = ReadLines(dir.Combine("ledger.txt"));
            ledger.Distinct().Should().BeEquivalentTo(reference.Ledger, because);
            var duplicates = ledger.Count - ledger.Distinct().Count();
            duplicates.Should().BeLessThanOrEqualTo(kills, $"each kill may add at most one duplicate of the op in flight ({because})");
            // Two kills can land in the same op (killed after its side effect, killed again right after the retry's),
            // so an op may run up to 1 + kills times; seed 21 does that when the second child is killed at its first append.
            ledger.GroupBy(l => l).Should().OnlyContain(g => g.Count() <= 1 + kills, because);
            ReadLines(dir.Combine("llm_calls.txt")).Count.Should().BeLessThanOrEqualTo(reference.LlmCalls + kills, because);
        });
    }

    [Fact]
    public async Task RestoreAsync_KilledAtRandomMomentsUnderSkip_NeverDuplicatesASideEffect()
    {
        var reference = await ReferenceAsync();
        await Parallel.ForAsync(100, 100 + SkipSeeds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (seed, _) =>
        {
            using var dir = new TempDirectory("reyn-crash");
            var (output, kills) = await RunUntilDoneAsync(dir.Path, "skip", new Random(seed), reference.Ledger.Count);
            var because = $"seed {seed} with {kills} kill(s)";

            output.Should().Be(reference.Output, because);
            var ledger = ReadLines(dir.Combine("ledger.txt"));
            ledger.Should().OnlyHaveUniqueItems(because);
            ledger.Should().BeSubsetOf(reference.Ledger, because);
            (reference.Ledger.Count - ledger.Count).Should().BeLessThanOrEqualTo(kills, $"only the op in flight at a kill may be skipped ({because})");
            ReadLines(dir.Combine("llm_calls.txt")).Count.Should().BeLessThanOrEqualTo(reference.LlmCalls + kills, because);
        });
    }

    private static async Task<(string Output, List<string> Ledger, int LlmCalls)> ReferenceAsync()
    {
        using var dir = new TempDirectory("reyn-crash-ref");
        var run = await RunChildAsync(dir.Path, "retry", killAfterLines: null);
        run.Killed.Should().BeFalse();
        var ledger = ReadLines(dir.Combine("ledger.txt"));
        ledger.Should().HaveCount(7 * 3, "six phases, one of them visited twice, three appends per visit");
        ledger.Should().OnlyHaveUniqueItems();
        return (run.Output!, ledger, ReadLines(dir.Combine("llm_calls.txt")).Count);
    }

    /// <summary>Kills the child once or twice after a random number of ledger appends, then lets it finish.</summary>
    private static async Task<(string Output, int Kills)> RunUntilDoneAsync(string directory, string policy, Random random, int totalAppends)
    {
        var plannedKills = random.Next(1, 3);
        var kills = 0;
        for (var attempt = 0; attempt < 12; attempt++)
        {
            int? killAfter = kills < plannedKills ? random.Next(1, Math.Max(2, totalAppends / plannedKills)) : null;
            var run = await RunChildAsync(directory, policy, killAfter, random.Next(0, 20_000));
            if (run.Killed)
            {
                kills++;
                continue;
            }

            run.Output.Should().NotBeNull($"the child ended without finishing: {run.Log}");
            return (run.Output!, kills);
        }

        throw new InvalidOperationException("The run did not complete after 12 starts.");
    }

    private static async Task<(bool Killed, string? Output, string Log)> RunChildAsync(string directory, string policy, int? killAfterLines, int spin = 0)
    {
        using var process = StartChild(directory, policy);
        var log = new System.Text.StringBuilder();
        string? output = null;
        var appends = 0;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            log.AppendLine(line);
            if (line.StartsWith("OUT ", StringComparison.Ordinal))
            {
                output = line[4..];
            }

            if (line.StartsWith("L ", StringComparison.Ordinal) && ++appends == killAfterLines)
            {
                Thread.SpinWait(spin); // a random moment after the append: before, during or after its step_completed
                process.Kill(); // SIGKILL on Linux
                await process.WaitForExitAsync();
                return (true, null, log.ToString());
            }
        }

        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, log.ToString());
        return (false, output, log.ToString());
    }

    private static Process StartChild(string directory, string policy)
    {
        var baseDir = AppContext.BaseDirectory;
        var appHost = Path.Combine(baseDir, OperatingSystem.IsWindows() ? "Reyn.Runtime.CrashHost.exe" : "Reyn.Runtime.CrashHost");
        var start = File.Exists(appHost)
            ? new ProcessStartInfo(appHost)
            : new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(baseDir, "Reyn.Runtime.CrashHost.dll") } };
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(policy);
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a SIGKILLed runtime cannot remove its diagnostic pipes from /tmp
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the crash host");
    }

    private static List<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToList() : [];
}
