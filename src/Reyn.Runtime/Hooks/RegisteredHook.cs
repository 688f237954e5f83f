using HandlebarsDotNet;

namespace Reyn.Runtime.Hooks;

/// <summary>A hook in a <see cref="HookRegistry"/>: its definition, where it came from, and its compiled templates.</summary>
public sealed class RegisteredHook
{
    internal RegisteredHook(HookDefinition definition, HookLayerKind layer, string source, string? agent,
        HandlebarsTemplate<object, object> message, HandlebarsTemplate<object, object>? pushWhen)
    {
        Definition = definition;
        Layer = layer;
        Source = source;
        Agent = agent;
        MessageTemplate = message;
        PushWhenTemplate = pushWhen;
    }

    /// <summary>The hook as configured.</summary>
    public HookDefinition Definition { get; }

    /// <summary>The layer it came from.</summary>
    public HookLayerKind Layer { get; }

    /// <summary>The file it came from.</summary>
    public string Source { get; }

    /// <summary>For a per-agent hook, the only agent it fires for; <see langword="null"/> for global hooks.</summary>
    public string? Agent { get; }

    internal HandlebarsTemplate<object, object> MessageTemplate { get; }

    internal HandlebarsTemplate<object, object>? PushWhenTemplate { get; }
}
