namespace Reyn.State;

/// <summary>Options of <c>AddReynState</c>.</summary>
public sealed class ReynStateOptions
{
    /// <summary>The <c>.reyn/</c> root; the WAL is <c>&lt;root&gt;/state/wal.jsonl</c>. Default <c>.reyn</c>.</summary>
    public string RootDirectory { get; set; } = ".reyn";

    /// <summary>When appends complete relative to the disk. Default <see cref="DurabilityMode.Always"/>.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Always;

    /// <summary>The <see cref="DurabilityMode.Batched"/> sync interval (the loss window). Default 10 ms.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>WAL kinds the host appends besides <see cref="WalKinds.All"/> (lowercase snake_case).</summary>
    public IList<string> ExtraKinds { get; } = new List<string>();

    /// <summary>The log options these options describe.</summary>
    public FileStateLogOptions ToLogOptions()
    {
        var options = new FileStateLogOptions
        {
            Path = new StatePaths(RootDirectory).Wal,
            Durability = Durability,
            BatchInterval = BatchInterval,
        };
        foreach (var kind in ExtraKinds)
        {
            options.ExtraKinds.Add(kind);
        }

        return options;
    }

    /// <summary>The first problem with these options, or <see langword="null"/> when they are valid.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(RootDirectory))
        {
            return "ReynStateOptions.RootDirectory must name the .reyn/ directory (for example \".reyn\").";
        }

        try
        {
            ToLogOptions().Validate();
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message.Replace("FileStateLogOptions.", "ReynStateOptions.", StringComparison.Ordinal);
        }
    }
}
