namespace Reyn.State;

/// <summary>The outcome of <see cref="FileStateLog.TruncateBelowAsync"/>.</summary>
/// <param name="Dropped">Records removed.</param>
/// <param name="Kept">Records kept.</param>
/// <param name="MinKeptSeq">The lowest seq kept (0 when the log is empty).</param>
/// <param name="MaxKeptSeq">The highest seq kept (always the log's highest seq).</param>
public sealed record WalTruncationResult(int Dropped, int Kept, long MinKeptSeq, long MaxKeptSeq);
