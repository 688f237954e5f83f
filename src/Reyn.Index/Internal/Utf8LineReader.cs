namespace Reyn.Index.Internal;

/// <summary>Reads a file line by line as UTF-8 bytes into a reused buffer (no string per line).</summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }

    /// <summary>The next line without its terminator; false at end of file.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TrimCr(pending[..newline]);
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (pending.Length == 0)
                {
                    line = default;
                    return false;
                }

                line = TrimCr(pending);
                _start = _end;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public void Dispose() => _stream.Dispose();
}
