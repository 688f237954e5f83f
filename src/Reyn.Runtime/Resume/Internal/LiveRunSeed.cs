using Reyn.State;

namespace Reyn.Runtime.Resume.Internal;

/// <summary>The watermarks of in-flight runs left on disk by an earlier process (they hold the truncation floor back).</summary>
internal static class LiveRunSeed
{
    public static IEnumerable<(string RunId, long Watermark, DateTimeOffset? WaitingSince)> FromDisk(FileSnapshotStore snapshots, string agent)
    {
        var list = new List<(string, long, DateTimeOffset?)>();
        foreach (var runId in snapshots.ListSkillRuns(agent))
        {
            var loaded = snapshots.LoadSkillRunAsync(agent, runId, EmptyStateLog.Instance).AsTask().GetAwaiter().GetResult();
            list.Add((runId, loaded.Snapshot.AppliedSeq, loaded.Snapshot.AwaitingInterventionId is null ? null : loaded.Snapshot.AwaitingSince));
        }

        return list;
    }
}
