using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>Offline checks and repair of a WAL file (what <c>reyn state verify</c> and <c>reyn state repair</c> run).</summary>
public static class WalMaintenance
{
    /// <summary>Checks every record of the WAL at <paramref name="path"/> without changing anything.</summary>
    public static WalVerifyReport Verify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return new WalVerifyReport(path, false, 0, 0, 0, 0, [], 0);
        }

        var bytes = File.ReadAllBytes(path);
        var scan = WalScanner.Scan(bytes);
        return new WalVerifyReport(path, true, bytes.Length, scan.ValidRecords, scan.FirstSeq, scan.LastSeq, scan.Problems, scan.ValidEnd);
    }

    /// <summary>
    /// Rewrites the WAL with every valid record (a temp file, synced and renamed over the log) and moves every bad
    /// stretch to a dated <c>wal.jsonl.corrupt-…</c> file beside it. Takes the writer lock, so it refuses to run while
    /// a process has the log open (<see cref="StateLogLockedException"/>). A healthy log is left untouched.
    /// </summary>
    public static WalRepairResult Repair(string path, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            return new WalRepairResult(path, 0, 0, null, []);
        }

        using var walLock = WalLock.Acquire(path);
        var bytes = File.ReadAllBytes(path);
        var kept = new WalBuffer(Math.Max(bytes.Length, 256));
        var scan = WalScanner.Scan(bytes, (long _, ReadOnlySpan<byte> line, long _) =>
        {
            line.CopyTo(kept.GetSpan(line.Length + 1));
            kept.Advance(line.Length);
            kept.GetSpan(1)[0] = (byte)'\n';
            kept.Advance(1);
        });
        if (scan.Problems.Count == 0)
        {
            return new WalRepairResult(path, scan.ValidRecords, 0, null, []);
        }

        var removed = new WalBuffer(256);
        long removedBytes = 0;
        foreach (var problem in scan.Problems)
        {
            var stretch = bytes.AsSpan((int)problem.Offset, (int)problem.Length);
            stretch.CopyTo(removed.GetSpan(stretch.Length));
            removed.Advance(stretch.Length);
            removedBytes += stretch.Length;
        }

        var aside = AtomicFile.WriteAside(path, "corrupt", removed.Span, (timeProvider ?? TimeProvider.System).GetUtcNow());
        AtomicFile.Replace(path, kept.Span);
        return new WalRepairResult(path, scan.ValidRecords, removedBytes, aside, scan.Problems);
    }
}

/// <summary>The outcome of <see cref="WalMaintenance.Verify"/>.</summary>
/// <param name="Path">The WAL file.</param>
/// <param name="Exists">Whether the file exists (a missing WAL is an empty, healthy log).</param>
/// <param name="Bytes">File size.</param>
/// <param name="ValidRecords">Records whose frame, CRC and seq order verify.</param>
/// <param name="FirstSeq">Lowest valid seq (0 when none).</param>
/// <param name="LastSeq">Highest valid seq (0 when none).</param>
/// <param name="Problems">Every bad stretch with its byte offset.</param>
/// <param name="ValidEnd">The offset just after the last valid record.</param>
public sealed record WalVerifyReport(string Path, bool Exists, long Bytes, int ValidRecords, long FirstSeq, long LastSeq, IReadOnlyList<WalProblem> Problems, long ValidEnd)
{
    /// <summary>No problems at all.</summary>
    public bool IsHealthy => Problems.Count == 0;

    /// <summary>A bad record sits before valid ones: opening fails until <c>reyn state repair</c> runs.</summary>
    public bool NeedsRepair => Problems.Any(p => p.Offset < ValidEnd);
}

/// <summary>The outcome of <see cref="WalMaintenance.Repair"/>.</summary>
/// <param name="Path">The WAL file.</param>
/// <param name="KeptRecords">Valid records kept.</param>
/// <param name="RemovedBytes">Bytes moved out of the log.</param>
/// <param name="AsidePath">Where the removed bytes were kept, or <see langword="null"/> when nothing was removed.</param>
/// <param name="Problems">What was removed.</param>
public sealed record WalRepairResult(string Path, int KeptRecords, long RemovedBytes, string? AsidePath, IReadOnlyList<WalProblem> Problems);
