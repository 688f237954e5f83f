using System.Globalization;
using System.Text;

namespace Reyn.Index.Internal;

/// <summary>The index_events cursor file: one ISO-8601 timestamp, replaced atomically (temp file, fsync, rename).</summary>
internal static class EventsCursor
{
    public static DateTimeOffset? Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var text = File.ReadAllText(path).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static void Write(string path, DateTimeOffset value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(value.ToString("O", CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
