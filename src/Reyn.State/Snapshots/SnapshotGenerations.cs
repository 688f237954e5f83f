using System.Globalization;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// Seq-keyed full snapshots of one agent session (<c>generations/gen-&lt;seq&gt;.json</c>), cut at checkpoint
/// boundaries. The state at seq N is the nearest generation at or below N plus a forward replay of the WAL.
/// </summary>
public sealed class SnapshotGenerations
{
    private readonly string _agent;
    private readonly string _sessionId;

    /// <summary>Creates the generation set of <paramref name="agent"/>'s session <paramref name="sessionId"/>.</summary>
    public SnapshotGenerations(StatePaths paths, string agent, string sessionId = "main")
    {
        ArgumentNullException.ThrowIfNull(paths);
        Directory = paths.Generations(agent, sessionId);
        _agent = agent;
        _sessionId = sessionId;
    }

    /// <summary>The folder holding the generations.</summary>
    public string Directory { get; }

    /// <summary>Writes a full copy of <paramref name="snapshot"/> as <c>gen-&lt;applied_seq&gt;.json</c> (atomically) and returns its path.</summary>
    public string Cut(AgentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var path = PathFor(snapshot.AppliedSeq);
        SnapshotFiles.Write(path, snapshot, SnapshotJsonContext.Default.AgentSnapshot);
        return path;
    }

    /// <summary>The seqs of the generations on disk, ascending.</summary>
    public IReadOnlyList<long> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var seqs = new List<long>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "gen-*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (long.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                seqs.Add(seq);
            }
        }

        seqs.Sort();
        return seqs;
    }

    /// <summary>
    /// The state at <paramref name="seq"/>: the nearest generation at or below it, plus the WAL records after that
    /// generation up to and including <paramref name="seq"/>.
    /// </summary>
    /// <exception cref="StateSchemaVersionException">The generation has another schema version.</exception>
    /// <exception cref="InvalidDataException">The generation file is unreadable.</exception>
    public async ValueTask<AgentSnapshot> ReconstructAsync(long seq, IStateLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        AgentSnapshot snapshot = AgentSnapshot.Empty(_agent, _sessionId);
        var baseSeq = List().LastOrDefault(s => s <= seq, -1);
        if (baseSeq >= 0)
        {
            var path = PathFor(baseSeq);
            if (!SnapshotFiles.TryRead(path, SnapshotJsonContext.Default.AgentSnapshot, out var loaded, out var problem))
            {
                throw new InvalidDataException($"The generation '{path}' is {problem}. Delete it to reconstruct from an older generation or the WAL.");
            }

            snapshot = loaded!;
        }

        await foreach (var record in log.ReadFromAsync(snapshot.AppliedSeq + 1, cancellationToken).ConfigureAwait(false))
        {
            if (record.Seq > seq)
            {
                break;
            }

            snapshot.Apply(record);
        }

        return snapshot;
    }

    /// <summary>
    /// Collects generations below the WAL truncation <paramref name="floor"/>, except the newest of them: it is the
    /// base for reconstructing states between the floor and the next generation. Returns how many were deleted.
    /// </summary>
    public int PruneBelow(long floor)
    {
        var below = List().Where(s => s < floor).ToList();
        var deleted = 0;
        for (var i = 0; i < below.Count - 1; i++)
        {
            File.Delete(PathFor(below[i]));
            deleted++;
        }

        return deleted;
    }

    private string PathFor(long seq) => Path.Combine(Directory, "gen-" + seq.ToString(CultureInfo.InvariantCulture) + ".json");
}
