namespace Reyn.Runtime;

/// <summary>The skills a runtime can start by name (sessions route turns to them). Thread-safe.</summary>
public sealed class SkillRegistry
{
    private readonly Dictionary<string, SkillDefinition> _skills = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Creates a registry with the skills registered in DI (<c>services.AddReynSkill(...)</c>).</summary>
    public SkillRegistry(IEnumerable<SkillDefinition> skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        foreach (var skill in skills)
        {
            Register(skill);
        }
    }

    /// <summary>Adds or replaces a skill.</summary>
    public void Register(SkillDefinition skill)
    {
        ArgumentNullException.ThrowIfNull(skill);
        lock (_gate)
        {
            _skills[skill.Name] = skill;
        }
    }

    /// <summary>Looks up a skill.</summary>
    public bool TryGet(string name, out SkillDefinition skill)
    {
        lock (_gate)
        {
            return _skills.TryGetValue(name, out skill!);
        }
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                var names = new List<string>(_skills.Keys);
                names.Sort(StringComparer.Ordinal);
                return names;
            }
        }
    }
}
