using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A catalog whose tool set is the names of the configured servers.</summary>
internal sealed class FakeToolServerCatalog : IToolServerCatalog
{
    public IReadOnlyList<string> Servers { get; private set; } = [];

    public int Probes { get; private set; }

    public ValueTask<bool> RefreshAsync(McpConfig config, CancellationToken cancellationToken)
    {
        Probes++;
        var next = config.Servers.Select(s => s.Name).ToArray();
        var changed = !next.SequenceEqual(Servers);
        Servers = next;
        return ValueTask.FromResult(changed);
    }
}
