using System.Buffers;

namespace Reyn.Events.Internal;

/// <summary>One target file of the JSONL audit sink: its path, open handle, pending bytes and rotation state.</summary>
internal sealed class JsonlFile(string key, bool isRun, string path, DateTimeOffset openedAt)
{
    public string Key { get; } = key;

    public bool IsRun { get; } = isRun;

    public string Path { get; set; } = path;

    public FileStream? Stream { get; set; }

    /// <summary>Bytes in the file (as far as this sink knows), for size rotation.</summary>
    public long Length { get; set; }

    /// <summary>Timestamp of the first event written to the current file, for age and date rotation.</summary>
    public DateTimeOffset OpenedAt { get; set; } = openedAt;

    public ArrayBufferWriter<byte> Pending { get; } = new(4096);

    public int PendingEvents { get; set; }

    public bool CloseAfterCommit { get; set; }

    public bool Touched { get; set; }

    public long LastUsed { get; set; }
}
