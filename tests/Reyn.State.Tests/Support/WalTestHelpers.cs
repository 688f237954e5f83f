using System.Text.Json;
using Reyn.Events;

namespace Reyn.State.Tests.Support;

internal static class WalTestHelpers
{
    public static FileStateLogOptions Options(string path, DurabilityMode mode = DurabilityMode.Always) => new() { Path = path, Durability = mode };

    public static EventData Fields(params (string Key, object? Value)[] fields)
    {
        var data = new EventData();
        foreach (var (key, value) in fields)
        {
            data.Add(key, value);
        }

        return data;
    }

    public static async Task<List<WalRecord>> ReadAllAsync(IStateLog log, long from = 0)
    {
        var list = new List<WalRecord>();
        await foreach (var record in log.ReadFromAsync(from))
        {
            list.Add(record);
        }

        return list;
    }

    public static async Task<List<WalRecord>> ReadFileAsync(string path, List<WalProblem>? problems = null)
    {
        var list = new List<WalRecord>();
        await foreach (var record in WalFileReader.ReadAsync(path, 0, p => problems?.Add(p)))
        {
            list.Add(record);
        }

        return list;
    }

    /// <summary>Byte offsets where each line starts, plus the file length at the end.</summary>
    public static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n' && i + 1 <= bytes.Length)
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    public static async Task<string> WriteLogAsync(string path, int records)
    {
        await using var log = FileStateLog.Open(Options(path));
        for (var i = 1; i <= records; i++)
        {
            await log.AppendAsync(WalKinds.StepCompleted, Fields(("run_id", "r1"), ("i", i), ("result", new Dictionary<string, object?> { ["text"] = $"result number {i}" })));
        }

        return path;
    }

    public static int Int(this WalRecord record, string name) => record.Fields.GetProperty(name).GetInt32();

    public static JsonElement Get(this WalRecord record, string name) => record.Fields.GetProperty(name);
}
