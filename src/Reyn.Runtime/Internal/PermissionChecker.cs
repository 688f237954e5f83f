namespace Reyn.Runtime.Internal;

/// <summary>Checks op calls against a skill's permissions and the agent's capability profile.</summary>
internal sealed class PermissionChecker
{
    private readonly string _skill;
    private readonly SkillPermissions _permissions;
    private readonly HashSet<string> _deny;
    private readonly HashSet<string>? _agentAllowed;
    private readonly HashSet<string> _skillAllowed;
    private readonly GlobMatcher[] _read;
    private readonly GlobMatcher[] _write;

    public PermissionChecker(string skill, SkillPermissions permissions, CapabilityProfile profile)
    {
        _skill = skill;
        _permissions = permissions;
        _deny = new HashSet<string>(profile.ToolDeny, StringComparer.Ordinal);
        _agentAllowed = profile.AllowedOps is null ? null : new HashSet<string>(profile.AllowedOps, StringComparer.Ordinal);
        _skillAllowed = new HashSet<string>(permissions.AllowedOps, StringComparer.Ordinal);
        _read = [.. permissions.ReadZones.Select(GlobMatcher.Create)];
        _write = [.. permissions.WriteZones.Select(GlobMatcher.Create)];
    }

    public PermissionDecision CheckKind(string kind)
    {
        if (_deny.Contains(kind))
        {
            return new(false, $"Op '{kind}' is denied by the agent's capability profile (permissions.tool_deny in reyn.yaml).");
        }

        if (_agentAllowed is not null && !_agentAllowed.Contains(kind))
        {
            return new(false, $"Op '{kind}' is not in the agent's allowed ops (permissions.allow_ops in reyn.yaml).");
        }

        if (!_skillAllowed.Contains(kind))
        {
            return new(false, $"Skill '{_skill}' does not allow op '{kind}'. Allow it with .Permissions(p => p.AllowOps(\"{kind}\")) or 'permissions: ops:' in skill.md.");
        }

        return PermissionDecision.Allow;
    }

    public PermissionDecision CheckPath(Workspace workspace, PathAccess access)
    {
        if (!workspace.TryResolve(access.Path, out var full))
        {
            return new(false, $"Path '{access.Path}' escapes the workspace; use a path relative to the workspace, without '..'.", access.Path);
        }

        var relative = workspace.ToRelative(full);
        if (access.Mode == PathAccessMode.Write)
        {
            return Matches(_write, relative)
                ? PermissionDecision.Allow
                : new(false, $"Skill '{_skill}' may not write '{relative}'. Writable zones: {Describe(_permissions.WriteZones)}. Add one with .Permissions(p => p.Write(\"...\")).", access.Path);
        }

        return _read.Length == 0 || Matches(_read, relative) || Matches(_write, relative)
            ? PermissionDecision.Allow
            : new(false, $"Skill '{_skill}' may not read '{relative}'. Readable zones: {Describe(_permissions.ReadZones)}.", access.Path);
    }

    private static bool Matches(GlobMatcher[] zones, string relative)
    {
        foreach (var zone in zones)
        {
            if (zone.IsMatch(relative))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(IReadOnlyList<string> zones) => zones.Count == 0 ? "none" : string.Join(", ", zones);
}
