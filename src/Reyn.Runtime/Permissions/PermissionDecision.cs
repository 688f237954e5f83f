namespace Reyn.Runtime;

/// <summary>The outcome of checking one op call against the skill's permissions and the agent's profile.</summary>
/// <param name="Allowed">Whether the call may run.</param>
/// <param name="Reason">Why it was refused (and how to allow it), or <see langword="null"/>.</param>
/// <param name="Path">The path that was refused, for file zone refusals.</param>
public readonly record struct PermissionDecision(bool Allowed, string? Reason = null, string? Path = null)
{
    /// <summary>An allowed call.</summary>
    public static PermissionDecision Allow { get; } = new(true);
}
