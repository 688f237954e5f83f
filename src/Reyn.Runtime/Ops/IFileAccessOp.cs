namespace Reyn.Runtime;

/// <summary>
/// Optional capability of an <see cref="IOp"/> that reads or writes files: it names the paths a call will touch so
/// the runtime can confine them to the workspace and check them against the skill's read and write zones before the
/// op runs.
/// </summary>
public interface IFileAccessOp
{
    /// <summary>The workspace-relative (or absolute) paths the call reads and writes.</summary>
    /// <exception cref="OpArgumentException">The arguments are missing or malformed.</exception>
    IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments);
}

/// <summary>One path an op call touches.</summary>
/// <param name="Path">The path as given by the caller (workspace-relative or absolute).</param>
/// <param name="Mode">Whether the path is read or written.</param>
public readonly record struct PathAccess(string Path, PathAccessMode Mode);

/// <summary>How an op touches a path.</summary>
public enum PathAccessMode
{
    /// <summary>The op reads the path (a file, or a directory it lists or searches).</summary>
    Read,

    /// <summary>The op creates, modifies or deletes the path.</summary>
    Write,
}
