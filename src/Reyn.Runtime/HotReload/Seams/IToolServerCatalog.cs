namespace Reyn.Runtime.HotReload.Seams;

/// <summary>The host's tool servers (MCP or similar), re-probed by the <c>mcp</c> seam.</summary>
public interface IToolServerCatalog
{
    /// <summary>Re-probes the servers of <paramref name="config"/>; returns whether the set of available tools changed.</summary>
    ValueTask<bool> RefreshAsync(McpConfig config, CancellationToken cancellationToken);
}
