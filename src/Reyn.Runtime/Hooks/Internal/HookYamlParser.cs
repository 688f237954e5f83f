using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Internal;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Hooks.Internal;

/// <summary>Parses the <c>hooks:</c> list of a hooks file (or of <c>reyn.yaml</c>) into <see cref="HookDefinition"/>s.</summary>
internal static class HookYamlParser
{
    private const string Example = "for example: - on: turn_end\\n  template_push:\\n    message: \"done\"";

    /// <summary>Parses the value of <c>hooks:</c> (a list, or null for none).</summary>
    public static List<HookDefinition> ParseList(YamlNode? node, string file, List<ConfigError> errors)
    {
        var hooks = new List<HookDefinition>();
        if (YamlNodes.IsNull(node))
        {
            return hooks;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(node!), $"'hooks' must be a list of hooks ({Example}), found {YamlNodes.Describe(node!)}."));
            return hooks;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ParseHook(sequence.Children[i], i, file, errors) is { } hook)
            {
                hooks.Add(hook);
            }
        }

        return hooks;
    }

    /// <summary>Parses one hook entry; returns <see langword="null"/> (and reports) when it is invalid.</summary>
    public static HookDefinition? ParseHook(YamlNode node, int index, string file, List<ConfigError> errors)
    {
        var where = $"hooks[{index}]";
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(node), $"{where} must be a mapping with 'on' and 'template_push', found {YamlNodes.Describe(node)}."));
            return null;
        }

        var before = errors.Count;
        YamlNode? onNode = null;
        YamlNode? pushNode = null;
        var shell = false;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            switch (key)
            {
                case "on":
                    onNode = valueNode;
                    break;
                case "true" or "True" or "TRUE" when onNode is null:
                    // A YAML 1.1 writer (PyYAML) may have turned the key `on` into `true`.
                    onNode = valueNode;
                    break;
                case "template_push":
                    pushNode = valueNode;
                    break;
                case "name":
                    break;
                case "shell" or "command":
                    shell = true;
                    errors.Add(new ConfigError(file, YamlNodes.Line(keyNode), $"{where}: shell hooks are not supported; use 'template_push' with a 'message'."));
                    break;
                default:
                    errors.Add(new ConfigError(file, YamlNodes.Line(keyNode), $"{where}: unknown key '{key}'; a hook has 'on', 'template_push' and optional 'name'."));
                    break;
            }
        }

        HookPoint point = default;
        if (onNode is null)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(mapping), $"{where}: 'on' is required; use one of {string.Join(", ", HookPoints.All)}."));
        }
        else if (onNode is not YamlScalarNode { Value: var onText } || !HookPoints.TryParse(onText, out point))
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(onNode), $"{where}: 'on' is {YamlNodes.Describe(onNode)}, not a lifecycle point; use one of {string.Join(", ", HookPoints.All)}."));
        }

        var name = YamlNodes.OptionalString(mapping, "name", file, where, errors);
        if (name is { Length: 0 })
        {
            name = null;
        }

        string? message = null;
        var wake = true;
        string? pushWhen = null;
        if (shell && pushNode is null)
        {
            // Already reported: the hook is a shell hook, not a push hook with a missing template.
        }
        else if (pushNode is null || YamlNodes.IsNull(pushNode))
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(pushNode ?? mapping), $"{where}: 'template_push' is required and must hold a 'message'."));
        }
        else if (pushNode is not YamlMappingNode push)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(pushNode), $"{where}: 'template_push' must be a mapping with 'message' (and optional 'wake', 'push_when'), found {YamlNodes.Describe(pushNode)}."));
        }
        else
        {
            foreach (var (keyNode, _) in push.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key is not ("message" or "wake" or "push_when"))
                {
                    errors.Add(new ConfigError(file, YamlNodes.Line(keyNode), $"{where}.template_push: unknown key '{key}'; allowed are 'message', 'wake' and 'push_when'."));
                }
            }

            message = YamlNodes.OptionalString(push, "message", file, where + ".template_push", errors);
            if (string.IsNullOrWhiteSpace(message))
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(push), $"{where}.template_push: 'message' is required and must be non-empty text."));
            }
            else
            {
                CheckTemplate(message, "message", push, file, where, errors);
            }

            wake = YamlNodes.OptionalBool(push, "wake", true, file, where + ".template_push", errors);
            pushWhen = YamlNodes.OptionalString(push, "push_when", file, where + ".template_push", errors);
            if (pushWhen is { Length: 0 })
            {
                pushWhen = null;
            }

            if (pushWhen is not null)
            {
                CheckTemplate(pushWhen, "push_when", push, file, where, errors);
            }
        }

        return errors.Count == before ? new HookDefinition(point, message!, wake, pushWhen, name) : null;
    }

    /// <summary>Checks a definition built in code (no YAML lines): templates must compile.</summary>
    public static void Check(HookDefinition hook, int index, string file, List<ConfigError> errors)
    {
        var where = $"hooks[{index}]";
        if (!Enum.IsDefined(hook.On))
        {
            errors.Add(new ConfigError(file, 0, $"{where}: 'on' is not a lifecycle point; use one of {string.Join(", ", HookPoints.All)}."));
        }

        if (string.IsNullOrWhiteSpace(hook.Message))
        {
            errors.Add(new ConfigError(file, 0, $"{where}: 'message' is required and must be non-empty text."));
        }
        else if (!HookTemplates.TryCompile(hook.Message, out _, out var error))
        {
            errors.Add(new ConfigError(file, 0, $"{where}: 'message' is not a valid Handlebars template: {error}"));
        }

        if (hook.PushWhen is not null && !HookTemplates.TryCompile(hook.PushWhen, out _, out var guardError))
        {
            errors.Add(new ConfigError(file, 0, $"{where}: 'push_when' is not a valid Handlebars template: {guardError}"));
        }
    }

    private static void CheckTemplate(string template, string key, YamlMappingNode push, string file, string where, List<ConfigError> errors)
    {
        if (!HookTemplates.TryCompile(template, out _, out var error))
        {
            var line = YamlNodes.TryGet(push, key, out var node) ? YamlNodes.Line(node) : YamlNodes.Line(push);
            errors.Add(new ConfigError(file, line, $"{where}.template_push: '{key}' is not a valid Handlebars template: {error} Close every {{{{#if}}}} with {{{{/if}}}} and balance the braces."));
        }
    }
}
