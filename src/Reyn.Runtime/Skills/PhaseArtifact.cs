using System.Text.Json;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// The JSON artifact one phase hands to the next (and a run's input and output). Kept as JSON so that it can be
/// recorded durably and reloaded after a restart.
/// </summary>
public sealed class PhaseArtifact
{
    private PhaseArtifact(JsonElement? json)
    {
        Json = json;
    }

    /// <summary>No artifact.</summary>
    public static PhaseArtifact Empty { get; } = new(null);

    /// <summary>The artifact as JSON, or <see langword="null"/> when there is none.</summary>
    public JsonElement? Json { get; }

    /// <summary>Whether there is an artifact.</summary>
    public bool HasValue => Json is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null };

    /// <summary>Wraps a value (serialized with snake_case names).</summary>
    public static PhaseArtifact From(object? value) => value switch
    {
        null => Empty,
        PhaseArtifact artifact => artifact,
        _ => new PhaseArtifact(RuntimeJson.ToElement(value)),
    };

    /// <summary>Reads the artifact as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">There is no artifact.</exception>
    public T As<T>() => HasValue
        ? Json!.Value.Deserialize<T>(RuntimeJson.Options)!
        : throw new InvalidOperationException("The phase has no input artifact; the previous phase returned none.");

    /// <inheritdoc />
    public override string ToString() => HasValue ? Json!.Value.GetRawText() : "null";
}
