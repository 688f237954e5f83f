using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reyn.Events.Serialization;

/// <summary>Source-generated metadata for <see cref="JsonNode"/> values (no reflection).</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : JsonSerializerContext;
