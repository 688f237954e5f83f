namespace Reyn.Runtime;

/// <summary>
/// A validated, immutable skill: what <see cref="Skill.Build"/> returns and what a run executes.
/// </summary>
public sealed class SkillDefinition
{
    private readonly Dictionary<string, PhaseDefinition> _phases;

    internal SkillDefinition(
        string name,
        string description,
        string entryPhase,
        IReadOnlyList<PhaseDefinition> phases,
        SkillPermissions permissions,
        string? instructions,
        string definitionText,
        string versionHash,
        string source)
    {
        Name = name;
        Description = description;
        EntryPhase = entryPhase;
        Phases = phases;
        Permissions = permissions;
        Instructions = instructions;
        DefinitionText = definitionText;
        VersionHash = versionHash;
        Source = source;
        _phases = phases.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>The skill name.</summary>
    public string Name { get; }

    /// <summary>What the skill does (one line).</summary>
    public string Description { get; }

    /// <summary>The phase a run starts in.</summary>
    public string EntryPhase { get; }

    /// <summary>The phases, in declaration order.</summary>
    public IReadOnlyList<PhaseDefinition> Phases { get; }

    /// <summary>What the skill may do.</summary>
    public SkillPermissions Permissions { get; }

    /// <summary>The body text of <c>skill.md</c>, used as system instructions of the skill's model calls.</summary>
    public string? Instructions { get; }

    /// <summary>The text the version hash covers: the <c>skill.md</c> file, or a canonical JSON of a code-defined skill.</summary>
    public string DefinitionText { get; }

    /// <summary><c>skill_version_hash</c>: the full lower-case sha256 hex of <see cref="DefinitionText"/> (of the file bytes for <c>skill.md</c>).</summary>
    public string VersionHash { get; }

    /// <summary><c>code</c>, or the path of the <c>skill.md</c> the skill was loaded from.</summary>
    public string Source { get; }

    /// <summary>Looks up a phase.</summary>
    public bool TryGetPhase(string name, out PhaseDefinition phase) => _phases.TryGetValue(name, out phase!);
}
