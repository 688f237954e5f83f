using System.Text.Json;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// The result of an op call, as the phase sees it and as the WAL records it:
/// <c>{"status":"ok","data":...}</c> or <c>{"status":"error","error":{"kind":...,"message":...}}</c>.
/// </summary>
public sealed class OpResult
{
    private OpResult(JsonElement? data, OpError? error)
    {
        Data = data;
        Error = error;
    }

    /// <summary><c>ok</c> or <c>error</c>.</summary>
    public string Status => Error is null ? "ok" : "error";

    /// <summary>Whether the op succeeded.</summary>
    public bool IsOk => Error is null;

    /// <summary>The data of a successful call (<see langword="null"/> for ok-without-data and for errors).</summary>
    public JsonElement? Data { get; }

    /// <summary>The error of a failed call.</summary>
    public OpError? Error { get; }

    /// <summary>A success; <paramref name="data"/> is serialized to JSON (snake_case property names).</summary>
    public static OpResult Ok(object? data = null) => new(data switch
    {
        null => null,
        JsonElement element => element.Clone(),
        _ => JsonSerializer.SerializeToElement(data, data.GetType(), RuntimeJson.Options),
    }, null);

    /// <summary>A failure the phase can handle. Common kinds: <c>invalid_args</c>, <c>permission_denied</c>, <c>unknown_tool</c>, <c>exception</c>, <c>timeout</c>.</summary>
    public static OpResult Fail(string kind, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        return new(null, new OpError(kind, message ?? string.Empty));
    }

    /// <summary>Reads <see cref="Data"/> as <typeparamref name="T"/> (snake_case property names).</summary>
    /// <exception cref="InvalidOperationException">The call failed or returned no data.</exception>
    public T GetData<T>()
    {
        if (Error is { } error)
        {
            throw new InvalidOperationException($"The op failed ({error.Kind}): {error.Message}");
        }

        if (Data is not { } data)
        {
            throw new InvalidOperationException("The op returned no data.");
        }

        return data.Deserialize<T>(RuntimeJson.Options)!;
    }

    /// <summary>The result as the JSON object the WAL and the phase see.</summary>
    public JsonElement ToJson()
    {
        using var buffer = new PooledJsonBuffer();
        var writer = buffer.Writer;
        writer.WriteStartObject();
        writer.WriteString("status", Status);
        if (Error is { } error)
        {
            writer.WriteStartObject("error");
            writer.WriteString("kind", error.Kind);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        }
        else if (Data is { } data)
        {
            writer.WritePropertyName("data");
            data.WriteTo(writer);
        }

        writer.WriteEndObject();
        return buffer.ToElement();
    }

    /// <summary>The JSON form as a flat payload the WAL writer serializes directly (no intermediate document).</summary>
    internal Reyn.Events.EventData ToWalValue()
    {
        var value = new Reyn.Events.EventData(2) { ["status"] = Status };
        if (Error is { } error)
        {
            value["error"] = new Reyn.Events.EventData(2) { ["kind"] = error.Kind, ["message"] = error.Message };
        }
        else if (Data is { } data)
        {
            value["data"] = data;
        }

        return value;
    }

    /// <summary>Reads a result back from its JSON form (for example a recorded WAL step).</summary>
    public static OpResult FromJson(JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            return Fail(
                error.TryGetProperty("kind", out var kind) ? kind.GetString() ?? "exception" : "exception",
                error.TryGetProperty("message", out var message) ? message.GetString() ?? string.Empty : string.Empty);
        }

        return Ok(json.ValueKind == JsonValueKind.Object && json.TryGetProperty("data", out var data) ? data : null);
    }

    /// <inheritdoc />
    public override string ToString() => ToJson().GetRawText();
}

/// <summary>Why an op call failed.</summary>
/// <param name="Kind">A stable machine-readable kind, for example <c>permission_denied</c>.</param>
/// <param name="Message">What went wrong and how to fix it.</param>
public sealed record OpError(string Kind, string Message);
