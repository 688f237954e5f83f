namespace Reyn.State.Internal;

/// <summary>An exclusive lock file next to the WAL (<c>wal.jsonl.lock</c>), held while a writer has the log open.</summary>
internal sealed class WalLock : IDisposable
{
    private readonly FileStream _stream;

    private WalLock(FileStream stream) => _stream = stream;

    public static string PathFor(string walPath) => walPath + ".lock";

    /// <summary>Takes the lock or throws <see cref="StateLogLockedException"/>.</summary>
    public static WalLock Acquire(string walPath)
    {
        var lockPath = PathFor(walPath);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
            return new WalLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
        }
        catch (IOException ex)
        {
            throw new StateLogLockedException(walPath, lockPath, ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
