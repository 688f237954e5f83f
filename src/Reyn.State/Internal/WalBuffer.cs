using System.Buffers;

namespace Reyn.State.Internal;

/// <summary>A growable, reusable byte buffer (an <see cref="IBufferWriter{T}"/> over one array).</summary>
internal sealed class WalBuffer : IBufferWriter<byte>
{
    private byte[] _array;
    private int _length;

    public WalBuffer(int capacity) => _array = new byte[capacity];

    public int Length => _length;

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    /// <summary>Drops everything after <paramref name="length"/> (used to roll back a record that failed to serialize).</summary>
    public void Truncate(int length) => _length = length;

    public void Clear() => _length = 0;

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 256);
        if (_array.Length - _length >= needed)
        {
            return;
        }

        var size = Math.Max(_array.Length * 2, _length + needed);
        Array.Resize(ref _array, size);
    }
}
