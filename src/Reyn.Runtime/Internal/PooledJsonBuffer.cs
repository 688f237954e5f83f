using System.Buffers;
using System.Text.Json;

namespace Reyn.Runtime.Internal;

/// <summary>A reusable buffer plus writer for building small JSON documents.</summary>
internal sealed class PooledJsonBuffer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public PooledJsonBuffer()
    {
        Writer = new Utf8JsonWriter(_buffer);
    }

    public Utf8JsonWriter Writer { get; }

    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            Writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    public JsonElement ToElement()
    {
        Writer.Flush();
        using var document = JsonDocument.Parse(_buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public void Dispose() => Writer.Dispose();
}
