using Microsoft.Extensions.DependencyInjection;
using Reyn.State;

namespace Reyn.Runtime.Tests.Support;

public static class WalReader
{
    /// <summary>The durable WAL records of one run, in seq order, read back through the real log.</summary>
    public static async Task<List<WalRecord>> RecordsOfAsync(RuntimeHarness h, string runId)
    {
        var log = h.Services.GetRequiredService<IStateLog>();
        var list = new List<WalRecord>();
        await foreach (var record in log.ReadFromAsync(1))
        {
            if (record.GetString("run_id") == runId)
            {
                list.Add(record);
            }
        }

        return list;
    }

    public static string Describe(WalRecord r) =>
        r.Kind is "step_started" or "step_completed" or "step_failed" ? $"{r.Kind}:{r.GetString("op_invocation_id")}" : r.Kind;
}
