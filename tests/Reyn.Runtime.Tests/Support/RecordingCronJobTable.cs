using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.Tests.Support;

/// <summary>An in-memory job table that records every call.</summary>
internal sealed class RecordingCronJobTable : ICronJobTable
{
    public Dictionary<string, CronJobDefinition> Jobs { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    public RecordingCronJobTable(IEnumerable<CronJobDefinition>? initial = null)
    {
        foreach (var job in initial ?? [])
        {
            Jobs[job.Name] = job;
        }
    }

    public ValueTask UpsertAsync(CronJobDefinition job, CancellationToken cancellationToken)
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
