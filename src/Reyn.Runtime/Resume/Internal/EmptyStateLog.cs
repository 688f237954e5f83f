using System.Runtime.CompilerServices;
using Reyn.State;

namespace Reyn.Runtime.Resume.Internal;

/// <summary>A log with no records: loads a snapshot file as it is on disk (the coordinator replays the WAL itself, once).</summary>
internal sealed class EmptyStateLog : IStateLog
{
    public static EmptyStateLog Instance { get; } = new();

    public long LastDurableSeq => 0;

    public ValueTask<long> AppendAsync(string kind, IEnumerable<KeyValuePair<string, object?>> fields, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The empty log is read-only.");

    public async IAsyncEnumerable<WalRecord> ReadFromAsync(long fromSeq, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
