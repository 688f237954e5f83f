namespace Reyn.Events.Replay;

/// <summary>A line (or file) the replay skipped, and why.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">The 1-based line number, or 0 for a problem with the whole file.</param>
/// <param name="Reason">What was wrong.</param>
public sealed record ReplayWarning(string File, int Line, string Reason)
{
    /// <summary><c>file:line: reason</c>.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Reason}" : $"{File}: {Reason}";
}
