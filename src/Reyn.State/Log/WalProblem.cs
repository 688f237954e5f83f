namespace Reyn.State;

/// <summary>A stretch of WAL bytes that is not a valid record.</summary>
/// <param name="Offset">The byte offset where the bad stretch starts.</param>
/// <param name="Length">Its length in bytes (including its newline, if any).</param>
/// <param name="Seq">The seq it claims when the record itself verifies but is out of order; otherwise <see langword="null"/>.</param>
/// <param name="Description">What is wrong, in words.</param>
public sealed record WalProblem(long Offset, long Length, long? Seq, string Description);
