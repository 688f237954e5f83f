using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Runtime.Hooks.Internal;
using Reyn.Runtime.HotReload;

namespace Reyn.Runtime.Hooks;

/// <summary>
/// The immutable set of hooks a <see cref="HookDispatcher"/> fires: startup ∪ runtime ∪ per-agent, rebuilt from
/// scratch on every reload (a hook removed from its file is simply absent from the next registry).
/// </summary>
public sealed class HookRegistry
{
    private HookRegistry(IReadOnlyList<RegisteredHook> hooks, IReadOnlyList<HookLayer> dropped)
    {
        Hooks = hooks;
        DroppedLayers = dropped;
    }

    /// <summary>No hooks.</summary>
    public static HookRegistry Empty { get; } = new([], []);

    /// <summary>Every hook, startup layer first, then the runtime layer, then per-agent layers in agent order.</summary>
    public IReadOnlyList<RegisteredHook> Hooks { get; }

    /// <summary>Untrusted layers left out because they were invalid.</summary>
    public IReadOnlyList<HookLayer> DroppedLayers { get; }

    /// <summary>The definitions, in registry order (handy to compare two registries).</summary>
    public IEnumerable<HookDefinition> Definitions => Hooks.Select(h => h.Definition);

    /// <summary>
    /// Combines the layers. The trusted <paramref name="startup"/> layer must be valid: otherwise this throws
    /// <see cref="ConfigValidationException"/> (fail loudly at boot). Each untrusted layer is added on its own: an
    /// invalid one is dropped with a warning on <paramref name="logger"/> and the others are kept.
    /// </summary>
    public static HookRegistry Build(HookLayer? startup, IEnumerable<HookLayer> untrusted, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(untrusted);
        logger ??= NullLogger.Instance;
        var hooks = new List<RegisteredHook>();
        var dropped = new List<HookLayer>();
        if (startup is not null)
        {
            if (startup.Kind != HookLayerKind.Startup)
            {
                throw new ArgumentException($"The startup layer has kind {startup.Kind}; pass a {HookLayerKind.Startup} layer.", nameof(startup));
            }

            startup.ThrowIfInvalid();
            if (!TryCompile(startup, hooks, out var startupErrors))
            {
                throw new ConfigValidationException(startupErrors);
            }
        }

        foreach (var layer in untrusted)
        {
            ArgumentNullException.ThrowIfNull(layer, nameof(untrusted));
            if (layer.Kind == HookLayerKind.Startup)
            {
                throw new ArgumentException("Only one startup layer is allowed; pass it as the first argument.", nameof(untrusted));
            }

            var compiled = new List<RegisteredHook>(layer.Hooks.Count);
            if (!layer.IsValid || !TryCompile(layer, compiled, out _))
            {
                dropped.Add(layer);
                logger.LogWarning(
                    "Hook layer {Source} ({Kind}) is invalid and was dropped; the other layers are kept: {Errors}",
                    layer.Source, layer.Kind, string.Join("; ", layer.Errors));
                continue;
            }

            hooks.AddRange(compiled);
        }

        return new HookRegistry(hooks, dropped);
    }

    /// <summary>Builds the registry for a reload: the startup layer, the runtime layer and every agent's layer of <paramref name="snapshot"/>.</summary>
    public static HookRegistry Build(HookLayer? startup, InSetSnapshot snapshot, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var layers = new List<HookLayer>(1 + snapshot.Agents.Count) { snapshot.Hooks };
        foreach (var agent in snapshot.Agents)
        {
            layers.Add(agent.Hooks);
        }

        return Build(startup, layers, logger);
    }

    private static bool TryCompile(HookLayer layer, List<RegisteredHook> into, out List<ConfigError> errors)
    {
        errors = [];
        for (var i = 0; i < layer.Hooks.Count; i++)
        {
            var definition = layer.Hooks[i];
            if (!HookTemplates.TryCompile(definition.Message, out var message, out var error))
            {
                errors.Add(new ConfigError(layer.Source, 0, $"hooks[{i}]: 'message' is not a valid Handlebars template: {error}"));
                continue;
            }

            HandlebarsDotNet.HandlebarsTemplate<object, object>? guard = null;
            if (definition.PushWhen is not null && !HookTemplates.TryCompile(definition.PushWhen, out guard, out var guardError))
            {
                errors.Add(new ConfigError(layer.Source, 0, $"hooks[{i}]: 'push_when' is not a valid Handlebars template: {guardError}"));
                continue;
            }

            into.Add(new RegisteredHook(definition, layer.Kind, layer.Source, layer.Agent, message!, guard));
        }

        return errors.Count == 0;
    }
}
