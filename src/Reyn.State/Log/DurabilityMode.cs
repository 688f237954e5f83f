namespace Reyn.State;

/// <summary>When <see cref="IStateLog.AppendAsync"/> completes relative to the disk.</summary>
public enum DurabilityMode
{
    /// <summary>
    /// Completes only after the record is on the device (<c>fdatasync</c> on Linux, fsync elsewhere). Every appender
    /// waiting at the same moment shares one sync (group commit). Nothing acknowledged is ever lost. The default.
    /// </summary>
    Always = 0,

    /// <summary>
    /// Completes as soon as the record is in the log's ordered write buffer; a background flush writes and syncs at
    /// most every <see cref="FileStateLogOptions.BatchInterval"/>. <b>Loss window:</b> a process crash or power loss
    /// can lose the records acknowledged in the last interval (plus one sync); when appends outrun the disk, everything
    /// still buffered, up to <see cref="FileStateLogOptions.MaxPendingBytes"/> (appenders wait beyond it). Seqs stay
    /// gap-free and ordered; what survives is always a prefix of what was acknowledged.
    /// </summary>
    Batched = 1,

    /// <summary>Never syncs (records are written to the OS by the background loop): tests and throwaway runs only.</summary>
    None = 2,
}
