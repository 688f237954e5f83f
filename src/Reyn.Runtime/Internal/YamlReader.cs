using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Internal;

/// <summary>
/// Reads YAML through YamlDotNet's representation model so that every error can name the file, the line and the
/// dotted key (for example <c>reyn.yaml:7: budget.max_llm_calls_per_phase: expected an integer, got 'ten'</c>).
/// </summary>
internal sealed class YamlReader
{
    private readonly Func<string, Exception> _error;

    public YamlReader(string file, Func<string, Exception> error)
    {
        File = file;
        _error = error;
    }

    public string File { get; }

    public YamlMappingNode? LoadRoot(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw _error($"{File}:{ex.Start.Line}: invalid YAML: {ex.InnerException?.Message ?? ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw Fail(stream.Documents[0].RootNode, "(root)", "expected a mapping of keys (key: value)");
    }

    public Exception Fail(YamlNode node, string key, string message) => _error($"{File}:{node.Start.Line}: {key}: {message}");

    public IEnumerable<(string Key, YamlNode Value, YamlNode KeyNode)> Entries(YamlMappingNode mapping)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            yield return (((YamlScalarNode)keyNode).Value ?? string.Empty, value, keyNode);
        }
    }

    public YamlMappingNode Mapping(YamlNode node, string key) =>
        node as YamlMappingNode ?? throw Fail(node, key, $"expected a mapping (key: value), got {Describe(node)}");

    public YamlSequenceNode Sequence(YamlNode node, string key) =>
        node as YamlSequenceNode ?? throw Fail(node, key, $"expected a list ([a, b] or '- item' lines), got {Describe(node)}");

    public string? String(YamlNode node, string key)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw Fail(node, key, $"expected a text value, got {Describe(node)}");
        }

        return IsNull(scalar) ? null : scalar.Value;
    }

    public string RequiredString(YamlNode node, string key) =>
        String(node, key) is { Length: > 0 } value ? value : throw Fail(node, key, "must not be empty");

    public IReadOnlyList<string> StringList(YamlNode node, string key)
    {
        if (node is YamlScalarNode scalar && IsNull(scalar))
        {
            return [];
        }

        var list = new List<string>();
        foreach (var item in Sequence(node, key))
        {
            list.Add(RequiredString(item, key + "[]"));
        }

        return list;
    }

    public int Int(YamlNode node, string key, int min = int.MinValue)
    {
        var text = String(node, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(node, key, $"expected an integer, got '{text}'");
        }

        return value >= min ? value : throw Fail(node, key, $"must be at least {min}, got {value}");
    }

    public long Long(YamlNode node, string key, long min = long.MinValue)
    {
        var text = String(node, key);
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(node, key, $"expected an integer, got '{text}'");
        }

        return value >= min ? value : throw Fail(node, key, $"must be at least {min}, got {value}");
    }

    public decimal Decimal(YamlNode node, string key, decimal min = decimal.MinValue)
    {
        var text = String(node, key);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail(node, key, $"expected a number, got '{text}'");
        }

        return value >= min ? value : throw Fail(node, key, $"must be at least {min}, got {value}");
    }

    public bool Bool(YamlNode node, string key) => String(node, key)?.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        var other => throw Fail(node, key, $"expected true or false, got '{other}'"),
    };

    public Exception UnknownKey(YamlNode keyNode, string key, IEnumerable<string> known)
    {
        var list = known.ToList();
        var hint = list.OrderBy(k => Distance(k, key.Split('.')[^1])).FirstOrDefault();
        return Fail(keyNode, key, $"unknown key. Known keys here: {string.Join(", ", list)}{(hint is not null && Distance(hint, key.Split('.')[^1]) <= 3 ? $". Did you mean '{hint}'?" : string.Empty)}");
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
