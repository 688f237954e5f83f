namespace Reyn.Runtime.HotReload;

/// <summary>One problem found in a config file: which file, which line, what is wrong and how to fix it.</summary>
/// <param name="File">The file, relative to the project directory (for example <c>.reyn/cron.yaml</c>).</param>
/// <param name="Line">The 1-based line of the offending node; 0 when the problem concerns the whole file.</param>
/// <param name="Message">What is wrong, phrased so that the reader knows what to change.</param>
public sealed record ConfigError(string File, int Line, string Message)
{
    /// <summary><c>file:line: message</c> (or <c>file: message</c> when the line is unknown).</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
