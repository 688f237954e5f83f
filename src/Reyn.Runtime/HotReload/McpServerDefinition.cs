namespace Reyn.Runtime.HotReload;

/// <summary>One tool server of <c>.reyn/mcp.yaml</c>: a local command (stdio) or a URL.</summary>
public sealed class McpServerDefinition : IEquatable<McpServerDefinition>
{
    /// <summary>Creates a server definition.</summary>
    public McpServerDefinition(string name, string? command, IReadOnlyList<string> args, string? url, bool enabled = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(args);
        Name = name;
        Command = command;
        Args = args;
        Url = url;
        Enabled = enabled;
    }

    /// <summary>The server name (the key under <c>mcp.servers</c>).</summary>
    public string Name { get; }

    /// <summary>The executable for a stdio server.</summary>
    public string? Command { get; }

    /// <summary>Arguments of <see cref="Command"/>.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>The endpoint of a remote server.</summary>
    public string? Url { get; }

    /// <summary>Whether the server should be probed; default <see langword="true"/>.</summary>
    public bool Enabled { get; }

    /// <inheritdoc />
    public bool Equals(McpServerDefinition? other) =>
        other is not null
        && Name == other.Name
        && Command == other.Command
        && Url == other.Url
        && Enabled == other.Enabled
        && Args.SequenceEqual(other.Args);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as McpServerDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Command, Url, Enabled, Args.Count);
}
