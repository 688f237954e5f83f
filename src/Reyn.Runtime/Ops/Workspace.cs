namespace Reyn.Runtime;

/// <summary>
/// The directory a skill run works in. File ops resolve every path through <see cref="Resolve"/>, so a path that
/// escapes the workspace (<c>../</c>, an absolute path elsewhere, a symbolic link pointing out) is refused.
/// </summary>
public sealed class Workspace
{
    private readonly string _prefix;

    /// <summary>Creates a workspace over <paramref name="root"/> (created if missing).</summary>
    public Workspace(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _prefix = Root + Path.DirectorySeparatorChar;
    }

    /// <summary>The absolute workspace directory.</summary>
    public string Root { get; }

    /// <summary>Whether <paramref name="path"/> resolves inside the workspace.</summary>
    public bool TryResolve(string path, out string fullPath)
    {
        fullPath = string.Empty;
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var candidate = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(Root, path));
        if (!IsInside(candidate))
        {
            return false;
        }

        // A link inside the workspace may point outside it: follow existing links along the path.
        var probe = candidate;
        while (probe.Length > Root.Length)
        {
            FileSystemInfo info = Directory.Exists(probe) ? new DirectoryInfo(probe) : new FileInfo(probe);
            if (info.Exists && info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !IsInside(Path.GetFullPath(target.FullName)))
                {
                    return false;
                }
            }

            probe = Path.GetDirectoryName(probe) ?? Root;
        }

        fullPath = candidate;
        return true;
    }

    /// <summary>Resolves <paramref name="path"/> to an absolute path inside the workspace.</summary>
    /// <exception cref="WorkspaceEscapeException">The path leaves the workspace.</exception>
    public string Resolve(string path) => TryResolve(path, out var full)
        ? full
        : throw new WorkspaceEscapeException($"Path '{path}' is outside the workspace '{Root}'. Use a path relative to the workspace, without '..'.");

    /// <summary>The workspace-relative form of an absolute path inside the workspace, with '/' separators.</summary>
    public string ToRelative(string fullPath)
    {
        var relative = Path.GetRelativePath(Root, fullPath);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private bool IsInside(string fullPath) =>
        string.Equals(fullPath, Root, StringComparison.Ordinal) || fullPath.StartsWith(_prefix, StringComparison.Ordinal);
}

/// <summary>Thrown when a path resolves outside the workspace.</summary>
public sealed class WorkspaceEscapeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkspaceEscapeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkspaceEscapeException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public WorkspaceEscapeException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
