using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Internal;

/// <summary>
/// Parses a <c>skill.md</c>: YAML front matter between <c>---</c> lines (name, description, entry_phase, phases,
/// permissions {ops, read, write}) followed by the instructions text.
/// </summary>
internal static class SkillMarkdownParser
{
    private static readonly string[] KnownKeys = ["name", "description", "entry_phase", "phases", "permissions", "version"];

    public static Parsed Parse(string text, string source)
    {
        var reader = new YamlReader(source, message => new SkillDefinitionException(message));
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.StartsWith('\uFEFF'))
        {
            normalized = normalized[1..];
        }

        if (!normalized.StartsWith("---\n", StringComparison.Ordinal))
        {
            throw new SkillDefinitionException($"{source}:1: a skill.md starts with YAML front matter between '---' lines (name, description, phases).");
        }

        var end = normalized.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new SkillDefinitionException($"{source}: the front matter is not closed; add a line '---' after it.");
        }

        var front = normalized[4..(end + 1)];
        var bodyStart = normalized.IndexOf('\n', end + 4);
        var body = bodyStart < 0 ? string.Empty : normalized[(bodyStart + 1)..].Trim();
        var root = reader.LoadRoot(front) ?? throw new SkillDefinitionException($"{source}:2: the front matter is empty; it needs at least 'name' and 'phases'.");

        string? name = null;
        var description = string.Empty;
        string? entry = null;
        var phases = new List<(string, int?)>();
        IReadOnlyList<string> ops = [], read = [], write = [];
        foreach (var (key, value, keyNode) in reader.Entries(root))
        {
            switch (key)
            {
                case "name": name = reader.RequiredString(value, key); break;
                case "description": description = reader.String(value, key) ?? string.Empty; break;
                case "entry_phase": entry = reader.RequiredString(value, key); break;
                case "version": break;
                case "phases":
                    foreach (var item in reader.Sequence(value, key))
                    {
                        if (item is YamlScalarNode)
                        {
                            phases.Add((reader.RequiredString(item, "phases[]"), null));
                            continue;
                        }

                        string? phaseName = null;
                        int? maxVisits = null;
                        foreach (var (pkey, pvalue, pkeyNode) in reader.Entries(reader.Mapping(item, "phases[]")))
                        {
                            switch (pkey)
                            {
                                case "name": phaseName = reader.RequiredString(pvalue, "phases[].name"); break;
                                case "max_visits": maxVisits = reader.Int(pvalue, "phases[].max_visits", 1); break;
                                case "description": break;
                                default: throw reader.UnknownKey(pkeyNode, "phases[]." + pkey, ["name", "max_visits", "description"]);
                            }
                        }

                        phases.Add((phaseName ?? throw reader.Fail(item, "phases[].name", "every phase needs a name"), maxVisits));
                    }

                    break;
                case "permissions":
                    foreach (var (pkey, pvalue, pkeyNode) in reader.Entries(reader.Mapping(value, key)))
                    {
                        switch (pkey)
                        {
                            case "ops": ops = reader.StringList(pvalue, "permissions.ops"); break;
                            case "read": read = reader.StringList(pvalue, "permissions.read"); break;
                            case "write": write = reader.StringList(pvalue, "permissions.write"); break;
                            default: throw reader.UnknownKey(pkeyNode, "permissions." + pkey, ["ops", "read", "write"]);
                        }
                    }

                    break;
                default:
                    throw reader.UnknownKey(keyNode, key, KnownKeys);
            }
        }

        if (name is null)
        {
            throw reader.Fail(root, "name", "missing; every skill.md needs 'name: <skill>'");
        }

        Skill.ValidateName(name, "skill name");
        if (phases.Count == 0)
        {
            throw reader.Fail(root, "phases", "missing; list the phases, for example 'phases: [explore, report]'");
        }

        return new Parsed(name, description, entry, phases, ops, read, write, body.Length == 0 ? null : body);
    }

    internal sealed record Parsed(
        string Name,
        string Description,
        string? EntryPhase,
        List<(string Name, int? MaxVisits)> Phases,
        IReadOnlyList<string> Ops,
        IReadOnlyList<string> Read,
        IReadOnlyList<string> Write,
        string? Instructions);
}
