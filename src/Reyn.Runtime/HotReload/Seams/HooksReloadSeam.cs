using Microsoft.Extensions.Logging;
using Reyn.Runtime.Hooks;

namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The <c>hooks</c> seam: rebuilds the hook registry from scratch (the fixed startup layer ∪ the re-read
/// <c>.reyn/hooks.yaml</c> ∪ every agent's <c>hooks.yaml</c>) and swaps it into the dispatcher. Changed iff the
/// hooks differ from the previous registry.
/// </summary>
public sealed class HooksReloadSeam : IReloadSeam
{
    private readonly HookDispatcher _dispatcher;
    private readonly HookLayer? _startup;
    private readonly ILogger? _logger;

    /// <summary>Creates the seam.</summary>
    /// <param name="dispatcher">The session's dispatcher.</param>
    /// <param name="startup">The startup layer (from <c>reyn.yaml</c>), captured once at boot and never re-read.</param>
    /// <param name="logger">Warnings about dropped layers.</param>
    public HooksReloadSeam(HookDispatcher dispatcher, HookLayer? startup, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        _dispatcher = dispatcher;
        _startup = startup;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => ReloadSeamNames.Hooks;

    /// <inheritdoc />
    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var registry = HookRegistry.Build(_startup, snapshot, _logger);
        return ValueTask.FromResult(_dispatcher.ReplaceRegistry(registry));
    }
}
