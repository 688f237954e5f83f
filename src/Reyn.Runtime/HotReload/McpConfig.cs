namespace Reyn.Runtime.HotReload;

/// <summary>The <c>mcp</c> component of the IN-set: the tool servers of <c>.reyn/mcp.yaml</c>.</summary>
public sealed class McpConfig
{
    /// <summary>Creates the component.</summary>
    public McpConfig(IReadOnlyList<McpServerDefinition> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        Servers = servers;
    }

    /// <summary>No servers (missing or empty file).</summary>
    public static McpConfig Empty { get; } = new([]);

    /// <summary>The servers in file order; names are unique.</summary>
    public IReadOnlyList<McpServerDefinition> Servers { get; }
}
