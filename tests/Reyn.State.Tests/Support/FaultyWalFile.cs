using Reyn.State.Internal;

namespace Reyn.State.Tests.Support;

/// <summary>The real WAL file with injectable disk faults and a sync counter (a fake disk, not a fake log).</summary>
internal sealed class FaultyWalFile(string path) : IWalFile
{
    private readonly WalFile _inner = new(path);

    /// <summary>How many upcoming writes or syncs fail with an <see cref="IOException"/> (int.MaxValue: all).</summary>
    public int FailuresLeft;

    /// <summary>Successful syncs so far.</summary>
    public int Syncs;

    /// <summary>Successful writes so far.</summary>
    public int Writes;

    public long Length => _inner.Length;

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        MaybeFail("write");
        _inner.Write(data, offset);
        Interlocked.Increment(ref Writes);
    }

    public int Read(Span<byte> buffer, long offset) => _inner.Read(buffer, offset);

    public void Sync()
    {
        MaybeFail("sync");
        _inner.Sync();
        Interlocked.Increment(ref Syncs);
    }

    public void SetLength(long length) => _inner.SetLength(length);

    public void Dispose() => _inner.Dispose();

    private void MaybeFail(string what)
    {
        if (Volatile.Read(ref FailuresLeft) > 0)
        {
            if (FailuresLeft != int.MaxValue)
            {
                Interlocked.Decrement(ref FailuresLeft);
            }

            throw new IOException($"injected {what} failure (EIO)");
        }
    }
}
