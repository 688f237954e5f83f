using System.Text.Json.Serialization;

namespace Reyn.State.Internal;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AgentSnapshot))]
[JsonSerializable(typeof(SkillRunSnapshot))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
