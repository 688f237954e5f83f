using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reyn.Runtime.Internal;

/// <summary>The JSON conventions of the runtime: snake_case names, enums as strings, no indentation.</summary>
internal static class RuntimeJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Serializes any value to a detached <see cref="JsonElement"/>.</summary>
    public static JsonElement ToElement(object? value) => value switch
    {
        null => default,
        JsonElement element => element.Clone(),
        _ => JsonSerializer.SerializeToElement(value, value.GetType(), Options),
    };
}
