using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// The arguments of one op call: a JSON object. Typed getters throw <see cref="OpArgumentException"/> (reported as an
/// <c>invalid_args</c> error result) with a message that names the argument and what was expected.
/// </summary>
public sealed class OpArguments
{
    private readonly JsonObject _json;

    /// <summary>Wraps a JSON object. The runtime creates arguments from whatever the phase passed.</summary>
    public OpArguments(JsonObject? json = null)
    {
        _json = json ?? [];
    }

    /// <summary>The arguments as a JSON object (read it; do not change it).</summary>
    public JsonObject Json => _json;

    /// <summary>
    /// Converts what a phase passed (<see langword="null"/>, a <see cref="JsonObject"/>, a <see cref="JsonElement"/>
    /// object, a dictionary or any serializable object such as an anonymous type) into arguments.
    /// </summary>
    /// <exception cref="OpArgumentException">The value does not serialize to a JSON object.</exception>
    public static OpArguments From(object? value)
    {
        switch (value)
        {
            case null:
                return new OpArguments();
            case OpArguments arguments:
                return arguments;
            case JsonObject obj:
                return new OpArguments(obj);
        }

        var node = value is JsonElement element
            ? JsonNode.Parse(element.GetRawText())
            : JsonSerializer.SerializeToNode(value, value.GetType(), RuntimeJson.Options);
        return node is JsonObject json
            ? new OpArguments(json)
            : throw new OpArgumentException($"Op arguments must be a JSON object (for example new {{ path = \"a.txt\" }}), got {node?.GetValueKind().ToString() ?? "null"}.");
    }

    /// <summary>Whether the argument is present and not null.</summary>
    public bool Has(string name) => _json.TryGetPropertyValue(name, out var node) && node is not null;

    /// <summary>A required string argument.</summary>
    public string GetString(string name) =>
        GetOptionalString(name) ?? throw new OpArgumentException($"Missing required argument '{name}' (a string).");

    /// <summary>An optional string argument; <see langword="null"/> when absent.</summary>
    public string? GetOptionalString(string name)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new OpArgumentException($"Argument '{name}' must be a string, got {node.GetValueKind()}.");
    }

    /// <summary>An optional integer argument.</summary>
    public int GetInt32(string name, int defaultValue)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return defaultValue;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node is JsonValue value && value.TryGetValue<int>(out var number))
        {
            return number;
        }

        if (node.GetValueKind() == JsonValueKind.Number && int.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new OpArgumentException($"Argument '{name}' must be an integer, got {node.ToJsonString()}.");
    }

    /// <summary>An optional boolean argument.</summary>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return defaultValue;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new OpArgumentException($"Argument '{name}' must be true or false, got {node.ToJsonString()}."),
        };
    }

    /// <summary>An optional list of strings.</summary>
    public IReadOnlyList<string> GetStringList(string name)
    {
        if (!_json.TryGetPropertyValue(name, out var node) || node is null)
        {
            return [];
        }

        if (node is not JsonArray array)
        {
            throw new OpArgumentException($"Argument '{name}' must be a list of strings, got {node.GetValueKind()}.");
        }

        var list = new List<string>(array.Count);
        foreach (var item in array)
        {
            list.Add(item is not null && item.GetValueKind() == JsonValueKind.String
                ? item.GetValue<string>()
                : throw new OpArgumentException($"Argument '{name}' must contain only strings."));
        }

        return list;
    }

    /// <inheritdoc />
    public override string ToString() => _json.ToJsonString();
}

/// <summary>Thrown by an op (or <see cref="OpArguments"/>) when its arguments are missing or malformed.</summary>
public sealed class OpArgumentException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OpArgumentException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OpArgumentException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public OpArgumentException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
