using Reyn.State.Internal;

namespace Reyn.State.Tests.Support;

/// <summary>
/// The real WAL file whose syncs can be held at a gate (a slow disk on demand): records which thread synced and how
/// many syncs started, so tests can see who leads a group commit and that syncs never overlap.
/// </summary>
internal sealed class GatedWalFile(string path) : IWalFile
{
    private readonly WalFile _inner = new(path);
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _inFlight;

    /// <summary>Completes when a sync has started and is held at the closed gate.</summary>
    public TaskCompletionSource SyncHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Syncs started so far.</summary>
    public int SyncsStarted;

    /// <summary>Syncs finished so far.</summary>
    public int Syncs;

    /// <summary>The highest number of syncs seen in flight at once.</summary>
    public int MaxConcurrentSyncs;

    /// <summary>Managed thread ids that ran a sync, in order.</summary>
    public List<int> SyncThreads { get; } = [];

    public long Length => _inner.Length;

    /// <summary>Holds every sync that starts from now on until <see cref="Open"/>.</summary>
    public void Close()
    {
        SyncHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate.Reset();
    }

    public void Open() => _gate.Set();

    public void Write(ReadOnlySpan<byte> data, long offset) => _inner.Write(data, offset);

    public int Read(Span<byte> buffer, long offset) => _inner.Read(buffer, offset);

    public void Sync()
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        lock (SyncThreads)
        {
            SyncThreads.Add(Environment.CurrentManagedThreadId);
            MaxConcurrentSyncs = Math.Max(MaxConcurrentSyncs, inFlight);
        }

        Interlocked.Increment(ref SyncsStarted);
        if (!_gate.IsSet)
        {
            SyncHeld.TrySetResult();
            _gate.Wait();
        }

        _inner.Sync();
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref Syncs);
    }

    public void SetLength(long length) => _inner.SetLength(length);

    public void Dispose()
    {
        _inner.Dispose();
        _gate.Dispose();
    }
}
