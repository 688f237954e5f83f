using System.Text;
using Reyn.Events;

namespace Reyn.Benchmarks.State;

/// <summary>The record every State benchmark writes: a <c>step_completed</c> of about 200 bytes on disk.</summary>
internal static class StateBenchmarkRecords
{
    public static EventData Fields() => new()
    {
        ["run_id"] = "run-7f3a9c",
        ["phase"] = "act",
        ["op_invocation_id"] = "act.op.12",
        ["op_kind"] = "file_write",
        ["args_hash"] = "9f86d081884c7d65",
        ["result"] = "ok: wrote 4,096 bytes to workspace/out.md",
    };

    /// <summary>An equivalent encoded line (same size as Reyn's) for the raw baselines.</summary>
    public static byte[] Line(long seq) => Encoding.UTF8.GetBytes(
        $"{{\"seq\":{seq},\"ts\":\"2026-11-22T03:00:00.1234567Z\",\"kind\":\"step_completed\",\"run_id\":\"run-7f3a9c\",\"phase\":\"act\",\"op_invocation_id\":\"act.op.12\",\"op_kind\":\"file_write\",\"args_hash\":\"9f86d081884c7d65\",\"result\":\"ok: wrote 4,096 bytes to workspace/out.md\",\"crc\":\"0123abcd\"}}\n");

    public static string TempDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "reyn-bench-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
