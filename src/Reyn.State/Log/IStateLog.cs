namespace Reyn.State;

/// <summary>
/// The write-ahead log: one seq space for every agent, session and skill run, one self-verifying record per line.
/// </summary>
public interface IStateLog : IAsyncDisposable
{
    /// <summary>
    /// Appends a record of a registered <paramref name="kind"/> and completes with its seq once the record is durable
    /// under the configured durability mode.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is not registered.</exception>
    ValueTask<long> AppendAsync(string kind, IEnumerable<KeyValuePair<string, object?>> fields, CancellationToken cancellationToken = default);

    /// <summary>Streams the durable records with <c>seq &gt;= fromSeq</c>, in seq order. Unknown kinds are passed through.</summary>
    IAsyncEnumerable<WalRecord> ReadFromAsync(long fromSeq, CancellationToken cancellationToken = default);

    /// <summary>The highest seq that is durable (0 for an empty log).</summary>
    long LastDurableSeq { get; }
}
