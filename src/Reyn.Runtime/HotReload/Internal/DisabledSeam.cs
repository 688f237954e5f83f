namespace Reyn.Runtime.HotReload.Internal;

/// <summary>A standard seam whose backing service the host did not provide: it runs (for accounting) and changes nothing.</summary>
internal sealed class DisabledSeam(string name) : IReloadSeam
{
    public string Name { get; } = name;

    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
