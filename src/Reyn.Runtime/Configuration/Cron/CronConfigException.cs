namespace Reyn.Runtime.Configuration.Cron;

/// <summary>
/// The <c>cron:</c> section of a YAML file is malformed. The message names the file, the line and the key, says what
/// is wrong and how to fix it.
/// </summary>
public sealed class CronConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CronConfigException(string filePath, int line, string? key, string problem, Exception? innerException = null)
        : base($"{filePath}:{line}: {(key is null ? string.Empty : key + ": ")}{problem}", innerException)
    {
        FilePath = filePath;
        Line = line;
        Key = key;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line of the offending node.</summary>
    public int Line { get; }

    /// <summary>The key path, for example <c>cron.jobs[1].enabled</c>; <see langword="null"/> for a YAML syntax error.</summary>
    public string? Key { get; }
}
