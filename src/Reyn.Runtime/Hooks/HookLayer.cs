using Reyn.Runtime.Hooks.Internal;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Internal;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Hooks;

/// <summary>
/// The hooks of one source (<c>reyn.yaml</c>, <c>.reyn/hooks.yaml</c> or one agent's <c>hooks.yaml</c>), parsed and
/// validated. An invalid layer keeps its <see cref="Errors"/> (file and line each) and no hooks.
/// </summary>
public sealed class HookLayer
{
    private HookLayer(HookLayerKind kind, string source, string? agent, IReadOnlyList<HookDefinition> hooks, IReadOnlyList<ConfigError> errors)
    {
        Kind = kind;
        Source = source;
        Agent = agent;
        Hooks = errors.Count == 0 ? hooks : [];
        Errors = errors;
    }

    /// <summary>Where the layer comes from.</summary>
    public HookLayerKind Kind { get; }

    /// <summary>The file the hooks were read from (for messages).</summary>
    public string Source { get; }

    /// <summary>For <see cref="HookLayerKind.Agent"/>: the agent the hooks belong to (they fire only for it).</summary>
    public string? Agent { get; }

    /// <summary>The hooks, in file order (empty when the layer is invalid).</summary>
    public IReadOnlyList<HookDefinition> Hooks { get; }

    /// <summary>What is wrong with the layer; empty when it is valid.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Whether the layer parsed and validated.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>A layer without hooks (a missing file).</summary>
    public static HookLayer Empty(HookLayerKind kind, string source, string? agent = null) => new(kind, source, agent, [], []);

    /// <summary>A layer that could not be read at all.</summary>
    internal static HookLayer Invalid(HookLayerKind kind, string source, string? agent, ConfigError error) => new(kind, source, agent, [], [error]);

    /// <summary>
    /// Parses a hooks file: a mapping whose only key is <c>hooks:</c>, a list of
    /// <c>{on, template_push: {message, wake, push_when}, name}</c>. Never throws for bad content: see <see cref="Errors"/>.
    /// </summary>
    public static HookLayer Parse(HookLayerKind kind, string yamlText, string source, string? agent = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var errors = new List<ConfigError>();
        var root = YamlNodes.ParseDocument(yamlText, source, errors);
        var value = errors.Count == 0 ? YamlNodes.ComponentValue(root, "hooks", source, errors) : null;
        var hooks = errors.Count == 0 ? HookYamlParser.ParseList(value, source, errors) : [];
        return new HookLayer(kind, source, agent, hooks, errors);
    }

    /// <summary>
    /// Parses the value of a <c>hooks:</c> key read elsewhere (for example from <c>reyn.yaml</c> by the startup config
    /// loader, keeping its line numbers).
    /// </summary>
    public static HookLayer FromYaml(HookLayerKind kind, YamlNode? hooksNode, string source, string? agent = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        var errors = new List<ConfigError>();
        var hooks = HookYamlParser.ParseList(hooksNode, source, errors);
        return new HookLayer(kind, source, agent, hooks, errors);
    }

    /// <summary>Builds a layer from hooks defined in code; templates are compiled to validate them.</summary>
    public static HookLayer FromDefinitions(HookLayerKind kind, string source, IEnumerable<HookDefinition> hooks, string? agent = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(hooks);
        var list = hooks.ToArray();
        var errors = new List<ConfigError>();
        for (var i = 0; i < list.Length; i++)
        {
            HookYamlParser.Check(list[i], i, source, errors);
        }

        return new HookLayer(kind, source, agent, list, errors);
    }

    /// <summary>Throws <see cref="ConfigValidationException"/> (every error with file and line) when the layer is invalid.</summary>
    public HookLayer ThrowIfInvalid() => IsValid ? this : throw new ConfigValidationException(Errors);
}
