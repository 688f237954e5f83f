namespace Reyn.State;

/// <summary>What opening the log found and did.</summary>
/// <param name="ValidRecords">Valid records kept.</param>
/// <param name="LastSeq">The highest seq on disk (0 for an empty log); the next append gets <c>LastSeq + 1</c>.</param>
/// <param name="CutOffset">Where a torn or corrupt tail was cut, or <see langword="null"/> when the file ended cleanly.</param>
/// <param name="CutBytes">How many bytes were cut.</param>
/// <param name="AsidePath">The dated file next to the log that holds the cut bytes, or <see langword="null"/>.</param>
/// <param name="Problems">The problems found in the cut tail.</param>
public sealed record WalRecoveryReport(int ValidRecords, long LastSeq, long? CutOffset, long CutBytes, string? AsidePath, IReadOnlyList<WalProblem> Problems)
{
    /// <summary>Whether a tail was cut off.</summary>
    public bool TailCut => CutOffset is not null;
}
