namespace Reyn.State.Internal;

/// <summary>What a scan of WAL bytes found: the valid records and every problem, with byte offsets.</summary>
internal sealed class WalScanResult
{
    public int ValidRecords { get; set; }

    public long FirstSeq { get; set; }

    public long LastSeq { get; set; }

    /// <summary>The byte offset just after the last valid record (0 when there is none).</summary>
    public long ValidEnd { get; set; }

    public long TotalBytes { get; set; }

    public List<WalProblem> Problems { get; } = [];

    /// <summary>Problems that have a valid record after them (the log cannot be opened without a repair).</summary>
    public IEnumerable<WalProblem> InteriorProblems => Problems.Where(p => p.Offset < ValidEnd);

    /// <summary>Whether the bytes after the last valid record are a torn or corrupt tail.</summary>
    public bool HasBadTail => TotalBytes > ValidEnd;
}

/// <summary>Splits WAL bytes into lines and verifies each: frame, CRC32C, strictly increasing seq.</summary>
internal static class WalScanner
{
    /// <summary>Scans <paramref name="data"/>; <paramref name="onValid"/> sees every valid line (offset, bytes without <c>\n</c>, seq).</summary>
    public static WalScanResult Scan(ReadOnlySpan<byte> data, WalLineVisitor? onValid = null)
    {
        var result = new WalScanResult { TotalBytes = data.Length };
        long offset = 0;
        long previousSeq = 0;
        while (offset < data.Length)
        {
            var rest = data[(int)offset..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                result.Problems.Add(new WalProblem(offset, rest.Length, null, WalLine.TryVerify(rest, out _, out _)
                    ? "incomplete last record (no newline): a torn write"
                    : "incomplete last record (torn write): " + Describe(rest)));
                break;
            }

            var line = rest[..newline];
            if (!WalLine.TryVerify(line, out var seq, out var problem))
            {
                result.Problems.Add(new WalProblem(offset, newline + 1, null, problem + ": " + WalLine.Excerpt(line)));
            }
            else if (seq <= previousSeq)
            {
                result.Problems.Add(new WalProblem(offset, newline + 1, seq, $"seq {seq} does not follow seq {previousSeq} (out of order or duplicated)"));
            }
            else
            {
                onValid?.Invoke(offset, line, seq);
                if (result.ValidRecords == 0)
                {
                    result.FirstSeq = seq;
                }

                result.ValidRecords++;
                result.LastSeq = seq;
                result.ValidEnd = offset + newline + 1;
                previousSeq = seq;
            }

            offset += newline + 1;
        }

        return result;
    }

    private static string Describe(ReadOnlySpan<byte> fragment) =>
        WalLine.TryVerify(fragment, out _, out var problem) ? "complete record" : problem + ": " + WalLine.Excerpt(fragment);
}

/// <summary>Receives one valid line of a scan.</summary>
internal delegate void WalLineVisitor(long offset, ReadOnlySpan<byte> line, long seq);
