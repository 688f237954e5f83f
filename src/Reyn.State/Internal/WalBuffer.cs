using System.Buffers;

namespace Reyn.State.Internal;

/// <summary>A growable, reusable byte buffer (an <see cref="IBufferWriter{T}"/> over one array).</summary>
internal sealed class WalBuffer : IBufferWriter<byte>
{
    private readonly int _growthLimit;
    private byte[] _array;
    private int _length;

    /// <param name="capacity">The initial size.</param>
    /// <param name="growthLimit">
    /// Doubling stops here: a buffer that needs a little more than half of it grows to it, not to twice its size. Only
    /// content that itself passes the limit grows the buffer beyond it.
    /// </param>
    public WalBuffer(int capacity, int growthLimit = int.MaxValue)
    {
        _array = new byte[capacity];
        _growthLimit = growthLimit;
    }

    public int Length => _length;

    /// <summary>The size of the underlying array.</summary>
    public int Capacity => _array.Length;

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

        var required = (long)_length + needed;
        var doubled = (long)_array.Length * 2;
        var size = required <= _growthLimit ? Math.Min(doubled, _growthLimit) : Math.Max(doubled, required);
        Array.Resize(ref _array, (int)Math.Min(Math.Max(size, required), Array.MaxLength));
    }
}
