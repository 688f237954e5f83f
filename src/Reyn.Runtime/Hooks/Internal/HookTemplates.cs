using HandlebarsDotNet;

namespace Reyn.Runtime.Hooks.Internal;

/// <summary>The Handlebars engine used for hook messages and <c>push_when</c> guards (no HTML escaping).</summary>
internal static class HookTemplates
{
    private static readonly Lock Gate = new();
    private static readonly IHandlebars Engine = CreateEngine();

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
    /// The engine, with comparison helpers for <c>push_when</c> guards: <c>eq</c>, <c>ne</c> (invariant text
    /// equality), <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c> (numbers), <c>and</c>, <c>or</c>, <c>not</c>; for example
    /// <c>{{#if (eq status "failed")}}true{{/if}}</c>.
    /// </summary>
    private static IHandlebars CreateEngine()
    {
        var engine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        engine.RegisterHelper("eq", (HandlebarsReturnHelper)((_, args) => args.Length == 2 && string.Equals(Text(args[0]), Text(args[1]), StringComparison.Ordinal)));
        engine.RegisterHelper("ne", (HandlebarsReturnHelper)((_, args) => args.Length == 2 && !string.Equals(Text(args[0]), Text(args[1]), StringComparison.Ordinal)));
        engine.RegisterHelper("gt", (HandlebarsReturnHelper)((_, args) => Compare(args) is > 0));
        engine.RegisterHelper("gte", (HandlebarsReturnHelper)((_, args) => Compare(args) is >= 0));
        engine.RegisterHelper("lt", (HandlebarsReturnHelper)((_, args) => Compare(args) is < 0));
        engine.RegisterHelper("lte", (HandlebarsReturnHelper)((_, args) => Compare(args) is <= 0));
        engine.RegisterHelper("and", (HandlebarsReturnHelper)((_, args) => args.Length > 0 && AllTruthy(args)));
        engine.RegisterHelper("or", (HandlebarsReturnHelper)((_, args) => AnyTruthy(args)));
        engine.RegisterHelper("not", (HandlebarsReturnHelper)((_, args) => args.Length == 1 && !IsTruthyValue(args[0])));
        return engine;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static int? Compare(Arguments args)
    {
        if (args.Length != 2
            || !double.TryParse(Text(args[0]), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var left)
            || !double.TryParse(Text(args[1]), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var right))
        {
            return null;
        }

        return left.CompareTo(right);
    }

    private static bool AllTruthy(Arguments args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (!IsTruthyValue(args[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyTruthy(Arguments args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (IsTruthyValue(args[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTruthyValue(object? value) => value switch
    {
        null => false,
        bool b => b,
        _ => IsTruthy(Text(value) ?? string.Empty),
    };

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
