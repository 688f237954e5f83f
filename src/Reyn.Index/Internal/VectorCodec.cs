using System.Runtime.InteropServices;

namespace Reyn.Index.Internal;

/// <summary>float32 little-endian blobs.</summary>
internal static class VectorCodec
{
    public static byte[] Encode(ReadOnlySpan<float> vector)
    {
        var bytes = MemoryMarshal.AsBytes(vector).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Vector blobs are float32 little-endian; big-endian hosts are not supported.");
        }

        return bytes;
    }

    public static void Decode(ReadOnlySpan<byte> blob, Span<float> destination) =>
        MemoryMarshal.Cast<byte, float>(blob).CopyTo(destination);
}
