namespace Reyn.State;

/// <summary>Options of <see cref="FileStateLog"/>.</summary>
public sealed class FileStateLogOptions
{
    /// <summary>The WAL file, normally <c>&lt;root&gt;/state/wal.jsonl</c>. Required.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>When appends complete relative to the disk. Default <see cref="DurabilityMode.Always"/>.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Always;

    /// <summary>The longest time a <see cref="DurabilityMode.Batched"/> record waits for its sync. Default 10 ms.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Kinds the host appends in addition to <see cref="WalKinds.All"/> (lowercase snake_case).</summary>
    public ICollection<string> ExtraKinds { get; } = new List<string>();

    /// <summary>Attempts per write or sync before the log latches failed. Default 5.</summary>
    public int RetryAttempts { get; set; } = 5;

    /// <summary>The first retry delay; doubled per attempt up to <see cref="RetryMaxDelay"/>. Default 50 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The largest retry delay. Default 2 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Buffered bytes above which appenders wait for the writer (back-pressure). Default 64 MiB. It also bounds what
    /// appends that outrun the disk can hold in memory (two buffers of about this size at most) and, in
    /// <see cref="DurabilityMode.Batched"/>, how much acknowledged data a crash can lose.
    /// </summary>
    public int MaxPendingBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Replaces the file implementation (tests inject disk faults through it).</summary>
    internal Func<string, Internal.IWalFile>? FileFactory { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option and how to fix it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("FileStateLogOptions.Path must name the WAL file, for example '.reyn/state/wal.jsonl'.", nameof(Path));
        }

        if (Durability == DurabilityMode.Batched && BatchInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"FileStateLogOptions.BatchInterval must be positive in Batched mode (got {BatchInterval}); 10 ms is a good start.", nameof(BatchInterval));
        }

        if (!Enum.IsDefined(Durability))
        {
            throw new ArgumentException($"FileStateLogOptions.Durability '{Durability}' is not one of Always, Batched, None.", nameof(Durability));
        }

        if (RetryAttempts < 1)
        {
            throw new ArgumentException($"FileStateLogOptions.RetryAttempts must be at least 1 (got {RetryAttempts}).", nameof(RetryAttempts));
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException("FileStateLogOptions.RetryBaseDelay must be >= 0 and RetryMaxDelay >= RetryBaseDelay.", nameof(RetryBaseDelay));
        }

        if (MaxPendingBytes < 64 * 1024)
        {
            throw new ArgumentException($"FileStateLogOptions.MaxPendingBytes must be at least 65536 (got {MaxPendingBytes}).", nameof(MaxPendingBytes));
        }

        foreach (var kind in ExtraKinds)
        {
            if (!WalKinds.IsWellFormed(kind))
            {
                throw new ArgumentException($"Extra WAL kind '{kind}' is not lowercase snake_case (letters, digits, '_', '.'; at most 64 characters).", nameof(ExtraKinds));
            }
        }
    }
}
