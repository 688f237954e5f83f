namespace Reyn.Runtime.Hooks;

/// <summary>The pushes produced at one lifecycle point.</summary>
/// <param name="Wake">Pushes that start a new (hook-driven) turn.</param>
/// <param name="RideAlong">Pushes that ride along with the next turn.</param>
/// <param name="ValveClosed">Whether at least one wake push was held back by <c>max_hook_driven_turns</c>.</param>
public sealed record HookDispatch(IReadOnlyList<HookPush> Wake, IReadOnlyList<HookPush> RideAlong, bool ValveClosed)
{
    /// <summary>Nothing to deliver.</summary>
    public static HookDispatch None { get; } = new([], [], false);

    /// <summary>Whether the session should start a hook-driven turn.</summary>
    public bool ShouldWake => Wake.Count > 0;
}
