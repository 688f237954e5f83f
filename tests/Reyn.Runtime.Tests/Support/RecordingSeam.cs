using Reyn.Runtime.HotReload;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A seam that records its calls into a shared log and returns (or throws) what it is told.</summary>
internal sealed class RecordingSeam(string name, List<string> log, bool changed = true, bool @throw = false) : IReloadSeam
{
    public string Name { get; } = name;

    public List<InSetSnapshot> Snapshots { get; } = [];

    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        log.Add(Name);
        Snapshots.Add(snapshot);
        if (@throw)
        {
            throw new InvalidOperationException($"seam {Name} broke");
        }

        return ValueTask.FromResult(changed);
    }
}
