namespace Reyn.State.Internal;

/// <summary>The WAL file as the writer sees it: positional writes and a data sync.</summary>
internal interface IWalFile : IDisposable
{
    long Length { get; }

    void Write(ReadOnlySpan<byte> data, long offset);

    int Read(Span<byte> buffer, long offset);

    void Sync();

    void SetLength(long length);
}

/// <summary>The real file: <see cref="RandomAccess"/> writes and <see cref="NativeSync.SyncData"/>.</summary>
internal sealed class WalFile : IWalFile
{
    private readonly FileStream _stream;

    public WalFile(string path)
    {
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    public long Length => RandomAccess.GetLength(_stream.SafeFileHandle);

    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(_stream.SafeFileHandle, data, offset);

    public int Read(Span<byte> buffer, long offset) => RandomAccess.Read(_stream.SafeFileHandle, buffer, offset);

    public void Sync() => NativeSync.SyncData(_stream);

    public void SetLength(long length) => _stream.SetLength(length);

    public void Dispose() => _stream.Dispose();
}
