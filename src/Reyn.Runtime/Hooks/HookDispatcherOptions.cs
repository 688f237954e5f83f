namespace Reyn.Runtime.Hooks;

/// <summary>Options of <see cref="HookDispatcher"/> (from <c>reyn.yaml</c>'s <c>safety.loop</c>, restart-only).</summary>
public sealed class HookDispatcherOptions
{
    /// <summary>The default of <see cref="MaxHookDrivenTurns"/>.</summary>
    public const int DefaultMaxHookDrivenTurns = 5;

    /// <summary>
    /// <c>safety.loop.max_hook_driven_turns</c>: how many turns in a row hooks may start (with <c>wake: true</c>) before
    /// a turn started by a user or a non-hook source. Once reached, wake pushes ride along with the next turn instead.
    /// 0 disables waking. Default 5.
    /// </summary>
    public int MaxHookDrivenTurns { get; set; } = DefaultMaxHookDrivenTurns;

    /// <summary>Throws when an option is out of range (called when the dispatcher is created).</summary>
    public void Validate()
    {
        if (MaxHookDrivenTurns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHookDrivenTurns), MaxHookDrivenTurns,
                "safety.loop.max_hook_driven_turns must be 0 or more (0 disables hook-driven turns).");
        }
    }
}
