using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// Deletes all in-flight state under a <c>.reyn/</c> root: the WAL and every agent, session and skill-run snapshot and
/// generation. Never touches <c>.reyn/events/</c> (the audit logs). Idempotent.
/// </summary>
public static class StateReset
{
    /// <summary>Runs the reset and returns the paths it deleted.</summary>
    /// <exception cref="StateLogLockedException">A process has the WAL open for writing; stop it first.</exception>
    public static IReadOnlyList<string> Run(string root)
    {
        var paths = new StatePaths(root);
        var deleted = new List<string>();
        if (File.Exists(paths.Wal) || File.Exists(paths.Wal + ".tmp"))
        {
            using (WalLock.Acquire(paths.Wal))
            {
                DeleteFile(paths.Wal, deleted);
                DeleteFile(paths.Wal + ".tmp", deleted);
            }
        }

        if (Directory.Exists(paths.Agents))
        {
            foreach (var agentDirectory in Directory.GetDirectories(paths.Agents))
            {
                var state = Path.Combine(agentDirectory, "state");
                DeleteFile(Path.Combine(state, "snapshot.json"), deleted);
                DeleteFile(Path.Combine(state, "snapshot.json.tmp"), deleted);
                foreach (var folder in new[] { "skills", "sessions", "generations" })
                {
                    var directory = Path.Combine(state, folder);
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                        deleted.Add(directory);
                    }
                }
            }
        }

        return deleted;
    }

    private static void DeleteFile(string path, List<string> deleted)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            deleted.Add(path);
        }
    }
}
