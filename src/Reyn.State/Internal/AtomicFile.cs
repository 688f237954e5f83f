namespace Reyn.State.Internal;

/// <summary>Crash-safe file replacement and forensic copies.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="content"/> to <c>&lt;path&gt;.tmp</c>, syncs it, renames it over <paramref name="path"/>
    /// and syncs the directory: after a crash at any point the file holds either the old or the new content. When the
    /// write or the rename fails (a full disk, a directory in the way) the temp file is deleted and the old file stays.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 0))
            {
                stream.Write(content);
                NativeSync.SyncData(stream);
            }

            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }

        NativeSync.SyncDirectory(directory);
    }

    /// <summary>
    /// Saves bytes that are being removed from <paramref name="path"/> to a dated file beside it
    /// (<c>&lt;path&gt;.&lt;label&gt;-yyyyMMddTHHmmssfffZ</c>), synced, and returns its path.
    /// </summary>
    public static string WriteAside(string path, string label, ReadOnlySpan<byte> content, DateTimeOffset now)
    {
        var aside = $"{path}.{label}-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}";
        for (var i = 1; File.Exists(aside); i++)
        {
            aside = $"{path}.{label}-{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{i}";
        }

        // Created before the try: a name taken meanwhile by someone else must not be deleted below.
        var stream = new FileStream(aside, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        try
        {
            using (stream)
            {
                stream.Write(content);
                NativeSync.SyncData(stream);
            }
        }
        catch
        {
            // A partial copy (a full disk) must not pass for the whole: the caller keeps the original bytes.
            TryDelete(aside);
            throw;
        }

        NativeSync.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return aside;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a later Replace truncates the temp file; a later WriteAside picks another name.
        }
    }
}
