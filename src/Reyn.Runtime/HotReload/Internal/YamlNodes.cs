using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.HotReload.Internal;

/// <summary>Small helpers over YamlDotNet's representation model that report problems as <see cref="ConfigError"/>s with lines.</summary>
internal static partial class YamlNodes
{
    /// <summary>Parses one YAML document; returns <see langword="null"/> for an empty document or a syntax error (reported).</summary>
    public static YamlNode? ParseDocument(string text, string file, List<ConfigError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add(new ConfigError(file, checked((int)ex.Start.Line), "invalid YAML: " + StripMarks(ex.Message) + " Fix the syntax (indentation, quotes, colons) and reload."));
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            errors.Add(new ConfigError(file, Line(stream.Documents[1].RootNode), "the file holds several YAML documents ('---'); keep exactly one."));
            return null;
        }

        var root = stream.Documents[0].RootNode;
        return IsNull(root) ? null : root;
    }

    /// <summary>The 1-based line where <paramref name="node"/> starts.</summary>
    public static int Line(YamlNode node) => checked((int)node.Start.Line);

    /// <summary>Whether the node is an explicit or implicit null (<c>~</c>, <c>null</c>, empty).</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null
        || (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
            && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL"));

    /// <summary>
    /// Reads the component key of an IN-set file (<c>cron:</c>, <c>mcp:</c>, <c>hooks:</c>): the root must be a mapping
    /// whose only key is <paramref name="componentKey"/>. Returns its value, or <see langword="null"/> when absent/empty.
    /// </summary>
    public static YamlNode? ComponentValue(YamlNode? root, string componentKey, string file, List<ConfigError> errors)
    {
        if (root is null)
        {
            return null;
        }

        if (root is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigError(file, Line(root), $"expected a mapping with the key '{componentKey}:' at the top of the file, found {Describe(root)}."));
            return null;
        }

        YamlNode? value = null;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (string.Equals(key, componentKey, StringComparison.Ordinal))
            {
                value = valueNode;
            }
            else
            {
                errors.Add(new ConfigError(file, Line(keyNode), $"unknown top-level key '{key}'; this file holds only '{componentKey}:' (put the entries under it)."));
            }
        }

        return IsNull(value) ? null : value;
    }

    /// <summary>Reads an optional string field; reports a non-scalar value.</summary>
    public static string? OptionalString(YamlMappingNode mapping, string key, string file, string where, List<ConfigError> errors)
    {
        if (!TryGet(mapping, key, out var node) || IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        errors.Add(new ConfigError(file, Line(node), $"{where}: '{key}' must be a string, found {Describe(node)}."));
        return null;
    }

    /// <summary>Reads an optional boolean (<c>true/false/yes/no/on/off</c>); reports anything else.</summary>
    public static bool OptionalBool(YamlMappingNode mapping, string key, bool defaultValue, string file, string where, List<ConfigError> errors)
    {
        if (!TryGet(mapping, key, out var node) || IsNull(node))
        {
            return defaultValue;
        }

        if (node is YamlScalarNode scalar && TryParseBool(scalar.Value, out var value))
        {
            return value;
        }

        errors.Add(new ConfigError(file, Line(node), $"{where}: '{key}' must be true or false, found {Describe(node)}."));
        return defaultValue;
    }

    /// <summary>Reads an optional list of strings; <see langword="null"/> when absent.</summary>
    public static IReadOnlyList<string>? OptionalStringList(YamlMappingNode mapping, string key, string file, string where, List<ConfigError> errors)
    {
        if (!TryGet(mapping, key, out var node) || IsNull(node))
        {
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(new ConfigError(file, Line(node), $"{where}: '{key}' must be a list of strings (for example [read_file, grep]), found {Describe(node)}."));
            return null;
        }

        var values = new List<string>(sequence.Children.Count);
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } text })
            {
                values.Add(text);
            }
            else
            {
                errors.Add(new ConfigError(file, Line(item), $"{where}: every entry of '{key}' must be a non-empty string, found {Describe(item)}."));
            }
        }

        return values;
    }

    /// <summary>Looks a key up in a mapping.</summary>
    public static bool TryGet(YamlMappingNode mapping, string key, out YamlNode node)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } k } && string.Equals(k, key, StringComparison.Ordinal))
            {
                node = valueNode;
                return true;
            }
        }

        node = null!;
        return false;
    }

    /// <summary>Parses YAML booleans (1.1 and 1.2 spellings, case-insensitive).</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        switch (text?.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                value = true;
                return true;
            case "false" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>A short description of a node for error messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "nothing",
        YamlScalarNode scalar => "'" + Truncate(scalar.Value ?? string.Empty) + "'",
        _ => "an unsupported node",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private static string StripMarks(string message)
    {
        var stripped = MarkPrefix().Replace(message, string.Empty).Trim();
        if (stripped.Length > 0 && !stripped.EndsWith('.'))
        {
            stripped += ".";
        }

        return stripped.Length == 0 ? message : stripped;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    /// <summary>Formats an int invariantly.</summary>
    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
