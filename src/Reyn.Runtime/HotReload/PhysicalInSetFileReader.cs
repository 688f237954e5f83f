namespace Reyn.Runtime.HotReload;

/// <summary>
/// Reads IN-set files from disk. Refuses a directory, never opens an empty entry (so a FIFO or device, which report length 0, cannot block a reload), and a
/// symbolic link that leads outside <see cref="RootDirectory"/>, so an IN-set name can never be turned into a way to
/// read <c>reyn.yaml</c>.
/// </summary>
public sealed class PhysicalInSetFileReader : IInSetFileReader
{
    /// <summary>Creates a reader confined to <paramref name="rootDirectory"/> (the <c>.reyn/</c> directory).</summary>
    public PhysicalInSetFileReader(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
    }

    /// <summary>Files larger than this (1 MiB) are refused.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    /// <summary>The confinement root.</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public string? ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            if (Directory.Exists(path))
            {
                throw new IOException("is a directory, not a file; remove it or replace it with a YAML file.");
            }

            return null;
        }

        if (info.LinkTarget is not null)
        {
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            var rootWithSeparator = RootDirectory.EndsWith(Path.DirectorySeparatorChar) ? RootDirectory : RootDirectory + Path.DirectorySeparatorChar;
            if (target is null || !target.FullName.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            {
                throw new IOException($"is a symbolic link to '{target?.FullName}', outside '{RootDirectory}'; IN-set files must live under the .reyn/ directory.");
            }

            info = new FileInfo(target.FullName);
        }

        // An empty file is {} without being opened. This is also what keeps a FIFO or a device (both report length 0)
        // from ever being opened, where a read could block the turn boundary forever.
        if (info.Length == 0)
        {
            return string.Empty;
        }

        if (info.Length > MaxFileBytes)
        {
            throw new IOException($"is {info.Length} bytes; IN-set files are limited to {MaxFileBytes} bytes.");
        }

        return File.ReadAllText(info.FullName);
    }
}
