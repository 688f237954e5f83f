using Reyn.Scheduling;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.Tests.Support;

/// <summary>An in-memory job table that records every call.</summary>
internal sealed class RecordingCronJobTable : ICronJobTable
{
    public Dictionary<string, CronJob> Jobs { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public RecordingCronJobTable(IEnumerable<CronJob>? initial = null)
    {
        foreach (var job in initial ?? [])
        {
            Jobs[job.Name] = job;
        }
    }

    public ValueTask UpsertAsync(CronJob job, CancellationToken cancellationToken)
    {
        Calls.Add("upsert:" + job.Name);
        Jobs[job.Name] = job;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        Calls.Add("remove:" + name);
        return ValueTask.FromResult(Jobs.Remove(name));
    }
}
