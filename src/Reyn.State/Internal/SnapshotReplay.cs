namespace Reyn.State.Internal;

/// <summary>Replays WAL records into a snapshot one at a time.</summary>
internal static class SnapshotReplay
{
    /// <summary>Calls <paramref name="apply"/> for each record in order; returns how many changed the state.</summary>
    public static int ApplyAll(IEnumerable<WalRecord> records, Func<WalRecord, bool> apply)
    {
        ArgumentNullException.ThrowIfNull(records);
        var changed = 0;
        foreach (var record in records)
        {
            if (apply(record))
            {
                changed++;
            }
        }

        return changed;
    }
}
