using HandlebarsDotNet;

namespace Reyn.Runtime.Hooks.Internal;

/// <summary>The Handlebars engine used for hook messages and <c>push_when</c> guards (no HTML escaping).</summary>
internal static class HookTemplates
{
    private static readonly Lock Gate = new();
    private static readonly IHandlebars Engine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });

    /// <summary>Compiles a template; <paramref name="error"/> says why it cannot be compiled.</summary>
    public static bool TryCompile(string template, out HandlebarsTemplate<object, object>? compiled, out string? error)
    {
        try
        {
            lock (Gate)
            {
                compiled = Engine.Compile(template);
            }

            error = null;
            return true;
        }
        catch (Exception ex) when (ex is HandlebarsException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            compiled = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Whether a rendered guard counts as true: anything but empty/whitespace, <c>false</c>, <c>0</c>, <c>no</c>,
    /// <c>off</c>, <c>none</c> and <c>null</c> (case-insensitive).
    /// </summary>
    public static bool IsTruthy(string rendered)
    {
        var text = rendered.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return false;
        }

        return !(text.Equals("false", StringComparison.OrdinalIgnoreCase)
            || text.Equals("0", StringComparison.Ordinal)
            || text.Equals("no", StringComparison.OrdinalIgnoreCase)
            || text.Equals("off", StringComparison.OrdinalIgnoreCase)
            || text.Equals("none", StringComparison.OrdinalIgnoreCase)
            || text.Equals("null", StringComparison.OrdinalIgnoreCase));
    }
}
