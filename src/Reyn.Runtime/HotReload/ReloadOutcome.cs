namespace Reyn.Runtime.HotReload;

/// <summary>What one <see cref="HotReloader.ApplyPendingAsync"/> did.</summary>
/// <param name="Source">The source of the last request of the turn.</param>
/// <param name="Components">Seams that changed something, in run order.</param>
/// <param name="Failed">Seams that threw, in run order.</param>
/// <param name="Errors">For a rejected reload: every problem found (file and line each); otherwise empty.</param>
public sealed record ReloadOutcome(
    string Source,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Failed,
    IReadOnlyList<ConfigError> Errors)
{
    /// <summary>Whether validation refused the IN-set (no seam ran, the live config is unchanged).</summary>
    public bool Rejected => Errors.Count > 0;

    /// <summary>For a rejected reload, the reason as emitted on <c>config_reload_rejected</c>; otherwise <see langword="null"/>.</summary>
    public string? Reason => Rejected ? string.Join("; ", Errors) : null;
}
