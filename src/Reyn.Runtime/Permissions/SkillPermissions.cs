namespace Reyn.Runtime;

/// <summary>
/// What a skill may do: which op kinds it may call and which workspace zones (globs) it may read and write.
/// Deny by default: an op kind not listed is refused; with no read zone the whole workspace is readable; with no
/// write zone nothing is writable. A write zone is also readable.
/// </summary>
public sealed class SkillPermissions
{
    internal SkillPermissions(IReadOnlyList<string> allowedOps, IReadOnlyList<string> readZones, IReadOnlyList<string> writeZones)
    {
        AllowedOps = allowedOps;
        ReadZones = readZones;
        WriteZones = writeZones;
    }

    /// <summary>No ops, the whole workspace readable, nothing writable.</summary>
    public static SkillPermissions None { get; } = new([], [], []);

    /// <summary>The op kinds the skill may call, sorted.</summary>
    public IReadOnlyList<string> AllowedOps { get; }

    /// <summary>Workspace-relative globs the skill may read (empty: everything).</summary>
    public IReadOnlyList<string> ReadZones { get; }

    /// <summary>Workspace-relative globs the skill may write.</summary>
    public IReadOnlyList<string> WriteZones { get; }
}

/// <summary>Builds <see cref="SkillPermissions"/>: <c>p =&gt; p.AllowOps("read_file", "grep").Read("logs/**").Write("report/**")</c>.</summary>
public sealed class SkillPermissionsBuilder
{
    private readonly SortedSet<string> _ops = new(StringComparer.Ordinal);
    private readonly List<string> _read = [];
    private readonly List<string> _write = [];

    /// <summary>Allows op kinds.</summary>
    public SkillPermissionsBuilder AllowOps(params string[] kinds)
    {
        foreach (var kind in kinds)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(kind);
            _ops.Add(kind);
        }

        return this;
    }

    /// <summary>Adds readable zones (workspace-relative globs such as <c>logs/**</c> or <c>*.md</c>).</summary>
    public SkillPermissionsBuilder Read(params string[] globs)
    {
        foreach (var glob in globs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(glob);
            _read.Add(glob);
        }

        return this;
    }

    /// <summary>Adds writable zones (workspace-relative globs such as <c>report/**</c>).</summary>
    public SkillPermissionsBuilder Write(params string[] globs)
    {
        foreach (var glob in globs)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(glob);
            _write.Add(glob);
        }

        return this;
    }

    /// <summary>The permissions built so far.</summary>
    public SkillPermissions Build() => new([.. _ops], [.. _read], [.. _write]);
}
