using System.Text;
using System.Text.Json;
using Reyn.Events;

namespace Reyn.Runtime.Internal;

/// <summary>Writes a run's WAL records; any WAL failure becomes a <see cref="DurableStepException"/>.</summary>
internal static class StepWriter
{
    /// <summary>Results larger than this (serialized UTF-8 bytes) are stored beside the WAL and referenced.</summary>
    public const int InlineLimitBytes = 32 * 1024;

    public static async ValueTask<long> AppendAsync(RunState run, string kind, EventData fields, string what, CancellationToken cancellationToken)
    {
        if (run.Wal is null)
        {
            return 0;
        }

        try
        {
            return await run.Wal.AppendAsync(kind, fields, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new DurableStepException($"The WAL could not record {kind} for {what} of run {run.RunId}: {ex.Message.TrimEnd('.')}. The run stops here; nothing after the last durable record was done.", ex);
        }
    }

    public static EventData StepFields(RunState run, string stepId, string opKind, string argsHash)
    {
        var fields = new EventData(10)
        {
            ["agent"] = run.Agent,
            ["run_id"] = run.RunId,
            ["phase"] = run.Phase,
            ["op_invocation_id"] = stepId,
            ["op_kind"] = opKind,
            ["args_hash"] = argsHash,
        };
        return fields;
    }

    /// <summary>Returns <paramref name="result"/> inline, or stores it in <c>&lt;agent state&gt;/skills/&lt;run_id&gt;_llm_results/&lt;args_hash&gt;.json</c> and returns <c>{"_ref": "&lt;args_hash&gt;.json"}</c>.</summary>
    public static async ValueTask<JsonElement> SpillIfLargeAsync(RunState run, JsonElement result, string argsHash, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetByteCount(result.GetRawText());
        if (bytes <= InlineLimitBytes || run.Wal is null)
        {
            return result;
        }

        var directory = Path.Combine(run.AgentStateDirectory, "skills", run.RunId + "_llm_results");
        var name = argsHash + ".json";
        await WriteAtomicAsync(Path.Combine(directory, name), result.GetRawText(), cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["_ref"] = name });
    }

    /// <summary>Resolves a <c>{"_ref": ...}</c> written by <see cref="SpillIfLargeAsync"/>; <see langword="null"/> when missing or malformed.</summary>
    public static JsonElement? ResolveRef(string agentStateDirectory, string runId, JsonElement recorded)
    {
        if (recorded.ValueKind != JsonValueKind.Object || !recorded.TryGetProperty("_ref", out var reference) || reference.ValueKind != JsonValueKind.String)
        {
            return recorded;
        }

        var name = reference.GetString()!;
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(agentStateDirectory, "skills", runId + "_llm_results", name);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static async Task WriteAtomicAsync(string path, string content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: true))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
