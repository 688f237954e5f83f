namespace Reyn.Runtime.HotReload.Seams;

/// <summary>The <c>mcp</c> seam: re-probes the tool servers; changed iff the tool set changed.</summary>
public sealed class McpReloadSeam : IReloadSeam
{
    private readonly IToolServerCatalog _catalog;

    /// <summary>Creates the seam over the host's catalog.</summary>
    public McpReloadSeam(IToolServerCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <inheritdoc />
    public string Name => ReloadSeamNames.Mcp;

    /// <inheritdoc />
    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return _catalog.RefreshAsync(snapshot.Mcp, cancellationToken);
    }
}
