using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// Defines a skill in code, fluently:
/// <code>
/// Skill.Create("triage_logs")
///     .Describe("Find errors in logs and write a report")
///     .Permissions(p =&gt; p.AllowOps("grep", "read_file", "write_file").Read("logs/**").Write("report/**"))
///     .Phase("explore", async ctx =&gt; PhaseResult.Next("plan", findings), maxVisits: 3)
///     .Phase("plan", ...)
///     .EntryPhase("explore");
/// </code>
/// or loads the declarative part from a <c>skill.md</c> (<see cref="FromMarkdown(string)"/>) and binds handlers with
/// <see cref="Handle"/>. <see cref="Build"/> validates the definition.
/// </summary>
public sealed class Skill
{
    private readonly List<PhaseDeclaration> _phases = [];
    private readonly SkillPermissionsBuilder _permissions = new();
    private string _description = string.Empty;
    private string? _entryPhase;
    private string? _version;
    private string? _instructions;
    private byte[]? _markdownBytes;
    private string? _source;

    private Skill(string name)
    {
        Name = name;
    }

    /// <summary>The skill name.</summary>
    public string Name { get; }

    /// <summary>Starts a skill definition.</summary>
    /// <param name="name">Letters, digits, <c>_</c> and <c>-</c>.</param>
    public static Skill Create(string name)
    {
        ValidateName(name, "skill name");
        return new Skill(name);
    }

    /// <summary>Loads name, description, entry phase, phases (with <c>max_visits</c>) and permissions from a <c>skill.md</c> file; bind handlers with <see cref="Handle"/>.</summary>
    /// <exception cref="SkillDefinitionException">The file is malformed; the message names the file, line and key.</exception>
    public static Skill FromMarkdown(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SkillDefinitionException($"{path}: file not found. Pass the path of a skill.md file.");
        }

        return FromMarkdown(File.ReadAllBytes(full), full);
    }

    /// <summary>Loads a skill from the bytes of a <c>skill.md</c>; <paramref name="source"/> names it in errors.</summary>
    public static Skill FromMarkdown(byte[] content, string source = "skill.md")
    {
        ArgumentNullException.ThrowIfNull(content);
        var parsed = SkillMarkdownParser.Parse(Encoding.UTF8.GetString(content), source);
        var skill = new Skill(parsed.Name)
        {
            _description = parsed.Description,
            _entryPhase = parsed.EntryPhase,
            _instructions = parsed.Instructions,
            _markdownBytes = content,
            _source = source,
        };
        foreach (var (phase, maxVisits) in parsed.Phases)
        {
            skill._phases.Add(new PhaseDeclaration(phase, null, maxVisits, null));
        }

        skill._permissions.AllowOps([.. parsed.Ops]).Read([.. parsed.Read]).Write([.. parsed.Write]);
        return skill;
    }

    /// <summary>Sets the one-line description.</summary>
    public Skill Describe(string description)
    {
        _description = description ?? string.Empty;
        return this;
    }

    /// <summary>Sets the system instructions of the skill's model calls.</summary>
    public Skill Instructions(string instructions)
    {
        _instructions = instructions;
        return this;
    }

    /// <summary>
    /// Sets a version label that is part of the version hash: bump it when a handler's code changes in a way that
    /// should count as a new skill version (handler code itself is not hashed).
    /// </summary>
    public Skill Version(string version)
    {
        _version = version;
        return this;
    }

    /// <summary>Configures permissions (deny by default).</summary>
    public Skill Permissions(Action<SkillPermissionsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_permissions);
        return this;
    }

    /// <summary>Adds a phase. The first phase added is the entry phase unless <see cref="EntryPhase"/> says otherwise.</summary>
    public Skill Phase(string name, Func<PhaseContext, Task<PhaseResult>> handler, int? maxVisits = null, PhaseBudget? budget = null)
    {
        ValidateName(name, "phase name");
        ArgumentNullException.ThrowIfNull(handler);
        if (_phases.Exists(p => p.Name == name))
        {
            throw new SkillDefinitionException($"Skill '{Name}' already has a phase '{name}'; phase names must be unique.");
        }

        _phases.Add(new PhaseDeclaration(name, new PhaseHandler(handler), maxVisits, budget));
        return this;
    }

    /// <summary>Binds a handler (and optionally a budget) to a phase declared in <c>skill.md</c>.</summary>
    public Skill Handle(string phase, Func<PhaseContext, Task<PhaseResult>> handler, PhaseBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var index = _phases.FindIndex(p => p.Name == phase);
        if (index < 0)
        {
            throw new SkillDefinitionException($"Skill '{Name}' declares no phase '{phase}' (declared: {string.Join(", ", _phases.Select(p => p.Name))}).");
        }

        _phases[index] = _phases[index] with { Handler = new PhaseHandler(handler), Budget = budget ?? _phases[index].Budget };
        return this;
    }

    /// <summary>Sets the entry phase.</summary>
    public Skill EntryPhase(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _entryPhase = name;
        return this;
    }

    /// <summary>Validates and freezes the definition.</summary>
    /// <exception cref="SkillDefinitionException">No phases, an unknown entry phase, a phase without handler, a bad visit limit.</exception>
    public SkillDefinition Build()
    {
        if (_phases.Count == 0)
        {
            throw new SkillDefinitionException($"Skill '{Name}' has no phases; add one with .Phase(\"name\", async ctx => ...).");
        }

        var entry = _entryPhase ?? _phases[0].Name;
        if (!_phases.Exists(p => p.Name == entry))
        {
            throw new SkillDefinitionException($"Skill '{Name}' has entry phase '{entry}', but no phase of that name (phases: {string.Join(", ", _phases.Select(p => p.Name))}).");
        }

        var phases = new List<PhaseDefinition>(_phases.Count);
        foreach (var phase in _phases)
        {
            if (phase.Handler is null)
            {
                throw new SkillDefinitionException($"Phase '{phase.Name}' of skill '{Name}' has no handler; bind one with .Handle(\"{phase.Name}\", async ctx => ...).");
            }

            if (phase.MaxVisits is < 1)
            {
                throw new SkillDefinitionException($"Phase '{phase.Name}' of skill '{Name}' has maxVisits {phase.MaxVisits}; it must be at least 1.");
            }

            phases.Add(new PhaseDefinition(phase.Name, phase.Handler, phase.MaxVisits, phase.Budget));
        }

        var permissions = _permissions.Build();
        string text;
        string hash;
        if (_markdownBytes is not null)
        {
            text = Encoding.UTF8.GetString(_markdownBytes);
            hash = Convert.ToHexStringLower(SHA256.HashData(_markdownBytes));
        }
        else
        {
            text = CanonicalText(entry, phases, permissions);
            hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }

        return new SkillDefinition(Name, _description, entry, phases, permissions, _instructions, text, hash, _source ?? "code");
    }

    /// <summary>Builds the definition.</summary>
    public static implicit operator SkillDefinition(Skill skill)
    {
        ArgumentNullException.ThrowIfNull(skill);
        return skill.Build();
    }

    private string CanonicalText(string entry, List<PhaseDefinition> phases, SkillPermissions permissions)
    {
        using var buffer = new PooledJsonBuffer();
        var w = buffer.Writer;
        w.WriteStartObject();
        w.WriteString("name", Name);
        w.WriteString("description", _description);
        w.WriteString("version", _version);
        w.WriteString("instructions", _instructions);
        w.WriteString("entry_phase", entry);
        w.WriteStartArray("phases");
        foreach (var phase in phases)
        {
            w.WriteStartObject();
            w.WriteString("name", phase.Name);
            if (phase.MaxVisits is { } visits)
            {
                w.WriteNumber("max_visits", visits);
            }

            if (phase.Budget is { } budget)
            {
                w.WriteStartObject("budget");
                if (budget.MaxLlmCalls is { } calls)
                {
                    w.WriteNumber("max_llm_calls", calls);
                }

                if (budget.MaxTokens is { } tokens)
                {
                    w.WriteNumber("max_tokens", tokens);
                }

                if (budget.MaxDuration is { } duration)
                {
                    w.WriteNumber("max_duration_ms", (long)duration.TotalMilliseconds);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("permissions");
        WriteList(w, "ops", permissions.AllowedOps);
        WriteList(w, "read", permissions.ReadZones);
        WriteList(w, "write", permissions.WriteZones);
        w.WriteEndObject();
        w.WriteEndObject();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    internal static void ValidateName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new SkillDefinitionException($"Invalid {what} '{name}': use letters, digits, '_', '-' or '.'.");
        }
    }

    private sealed record PhaseDeclaration(string Name, PhaseHandler? Handler, int? MaxVisits, PhaseBudget? Budget);
}

/// <summary>A skill definition (code or <c>skill.md</c>) is invalid; the message says what and how to fix it.</summary>
public sealed class SkillDefinitionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SkillDefinitionException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SkillDefinitionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public SkillDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
