namespace Reyn.Runtime.HotReload.Seams;

/// <summary>The capability holders the <c>per_agent_capability</c> seam updates. Thread-safe.</summary>
public sealed class CapabilityHolderRegistry
{
    private readonly Lock _gate = new();
    private ICapabilityHolder[] _holders = [];

    /// <summary>The registered holders.</summary>
    public IReadOnlyList<ICapabilityHolder> Holders => Volatile.Read(ref _holders);

    /// <summary>Registers a holder; dispose the result to unregister it.</summary>
    public IDisposable Register(ICapabilityHolder holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        lock (_gate)
        {
            _holders = [.. _holders, holder];
        }

        return new Registration(this, holder);
    }

    private void Unregister(ICapabilityHolder holder)
    {
        lock (_gate)
        {
            _holders = _holders.Where(h => !ReferenceEquals(h, holder)).ToArray();
        }
    }

    private sealed class Registration(CapabilityHolderRegistry owner, ICapabilityHolder holder) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unregister(holder);
            }
        }
    }
}
