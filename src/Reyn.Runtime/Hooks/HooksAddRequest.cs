using System.Text.Json;

namespace Reyn.Runtime.Hooks;

/// <summary>The parameters of <c>hooks_add</c>, exactly: <c>on</c>, <c>message</c>, <c>wake</c>, <c>push_when</c>, <c>name</c>.</summary>
/// <param name="On">Required lifecycle point (<c>turn_start</c>, <c>turn_end</c>, ..., <c>task_end</c>).</param>
/// <param name="Message">Required push message (Handlebars template).</param>
/// <param name="Wake">Optional; <see langword="true"/> when omitted.</param>
/// <param name="PushWhen">Optional Handlebars guard.</param>
/// <param name="Name">Optional attribution label (<c>[hook:name]</c>).</param>
public sealed record HooksAddRequest(string On, string Message, bool? Wake = null, string? PushWhen = null, string? Name = null)
{
    /// <summary>The parameter names, in documentation order. There is deliberately no path parameter.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } = ["on", "message", "wake", "push_when", "name"];

    /// <summary>
    /// Reads the op arguments (strings, booleans or <see cref="JsonElement"/>s). Unknown parameters (for example a
    /// <c>path</c>) and wrong types are refused with a message that says what to send instead.
    /// </summary>
    public static bool TryParse(IReadOnlyDictionary<string, object?> arguments, out HooksAddRequest? request, out string? error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        request = null;
        foreach (var key in arguments.Keys)
        {
            if (!ParameterNames.Contains(key, StringComparer.Ordinal))
            {
                error = $"unknown parameter '{key}'; hooks_add takes only {string.Join(", ", ParameterNames)} (it always writes .reyn/hooks.yaml).";
                return false;
            }
        }

        if (!TryString(arguments, "on", out var on, out error) || !TryString(arguments, "message", out var message, out error)
            || !TryString(arguments, "push_when", out var pushWhen, out error) || !TryString(arguments, "name", out var name, out error)
            || !TryBool(arguments, "wake", out var wake, out error))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(on))
        {
            error = $"'on' is required; use one of {string.Join(", ", HookPoints.All)}.";
            return false;
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            error = "'message' is required and must be non-empty text.";
            return false;
        }

        request = new HooksAddRequest(on, message, wake, pushWhen, name);
        return true;
    }

    private static bool TryString(IReadOnlyDictionary<string, object?> arguments, string key, out string? value, out string? error)
    {
        error = null;
        value = null;
        if (!arguments.TryGetValue(key, out var raw) || raw is null)
        {
            return true;
        }

        switch (raw)
        {
            case string s:
                value = s;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                value = element.GetString();
                return true;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return true;
            default:
                error = $"'{key}' must be a string.";
                return false;
        }
    }

    private static bool TryBool(IReadOnlyDictionary<string, object?> arguments, string key, out bool? value, out string? error)
    {
        error = null;
        value = null;
        if (!arguments.TryGetValue(key, out var raw) || raw is null)
        {
            return true;
        }

        switch (raw)
        {
            case bool b:
                value = b;
                return true;
            case JsonElement { ValueKind: JsonValueKind.True }:
                value = true;
                return true;
            case JsonElement { ValueKind: JsonValueKind.False }:
                value = false;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Null }:
                return true;
            case string s when bool.TryParse(s, out var parsed):
                value = parsed;
                return true;
            default:
                error = $"'{key}' must be true or false.";
                return false;
        }
    }
}
