namespace Reyn.Runtime.HotReload;

/// <summary>
/// One component re-applied by <see cref="HotReloader"/> at the turn boundary (<c>cron</c>, <c>mcp</c>,
/// <c>per_agent_capability</c>, <c>new_agent</c>, <c>hooks</c>, or a host's own).
/// </summary>
public interface IReloadSeam
{
    /// <summary>The component name reported in <c>config_reloaded.components</c> / <c>failed</c>.</summary>
    string Name { get; }

    /// <summary>Applies the new IN-set; returns whether anything changed. May throw: the reloader isolates it.</summary>
    ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken);
}
