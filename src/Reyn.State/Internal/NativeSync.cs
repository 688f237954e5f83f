using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Reyn.State.Internal;

/// <summary>
/// Makes written bytes durable: <c>fdatasync(2)</c> on Linux (data plus the metadata needed to read it back, such as
/// the file size), <see cref="FileStream.Flush(bool)"/> with <c>flushToDisk: true</c> (fsync) elsewhere.
/// </summary>
internal static partial class NativeSync
{
    private const int EINTR = 4;
    private const int O_RDONLY = 0;
    private static readonly bool IsLinux = OperatingSystem.IsLinux();

    /// <summary>Flushes the stream's data to the device; throws <see cref="IOException"/> when the device reports an error.</summary>
    public static void SyncData(FileStream stream)
    {
        if (!IsLinux)
        {
            stream.Flush(flushToDisk: true);
            return;
        }

        SafeFileHandle handle = stream.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            while (fdatasync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw new IOException($"fdatasync failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).", errno);
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>fsyncs a directory so a create or rename inside it survives a power loss (best effort off Unix).</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = open(directory, O_RDONLY);
        if (fd < 0)
        {
            return;
        }

        try
        {
            while (fsync(fd) != 0 && Marshal.GetLastPInvokeError() == EINTR)
            {
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
