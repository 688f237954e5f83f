using System.Numerics.Tensors;

namespace Reyn.Index.Internal;

/// <summary>
/// The vectors of one source held in memory (one flat float array) with the filterable columns beside them, so a
/// hybrid query is a SIMD scan instead of reading every blob from disk. Reloaded when the source's write version moves.
/// </summary>
internal sealed class VectorCache
{
    private VectorCache(long version, int dimensions, long[] keys, float[] vectors, string?[] skills, string?[] statuses, string?[] versionHashes, long?[] timestamps)
    {
        Version = version;
        Dimensions = dimensions;
        Keys = keys;
        Vectors = vectors;
        Skills = skills;
        Statuses = statuses;
        VersionHashes = versionHashes;
        Timestamps = timestamps;
    }

    public long Version { get; }

    public int Dimensions { get; }

    public long[] Keys { get; }

    /// <summary>How many vectors are cached.</summary>
    public int Count => Keys.Length;

    public float[] Vectors { get; }

    public string?[] Skills { get; }

    public string?[] Statuses { get; }

    public string?[] VersionHashes { get; }

    public long?[] Timestamps { get; }

    public static VectorCache Load(Microsoft.Data.Sqlite.SqliteConnection connection, long version)
    {
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*), max(length(vector)) FROM chunks WHERE vector IS NOT NULL";
        long n;
        int dims;
        using (var r = count.ExecuteReader())
        {
            r.Read();
            n = r.GetInt64(0);
            dims = r.IsDBNull(1) ? 0 : r.GetInt32(1) / sizeof(float);
        }

        var keys = new long[n];
        var vectors = new float[n * dims];
        var skills = new string?[n];
        var statuses = new string?[n];
        var hashes = new string?[n];
        var timestamps = new long?[n];
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT pk, skill, status, version_hash, ts, vector FROM chunks WHERE vector IS NOT NULL";
        using var reader = cmd.ExecuteReader();
        var i = 0;
        while (reader.Read() && i < n)
        {
            var blob = (byte[])reader.GetValue(5);
            if (blob.Length != dims * sizeof(float))
            {
                continue;
            }

            keys[i] = reader.GetInt64(0);
            skills[i] = reader.IsDBNull(1) ? null : reader.GetString(1);
            statuses[i] = reader.IsDBNull(2) ? null : reader.GetString(2);
            hashes[i] = reader.IsDBNull(3) ? null : reader.GetString(3);
            timestamps[i] = reader.IsDBNull(4) ? null : reader.GetInt64(4);
            var row = vectors.AsSpan(i * dims, dims);
            VectorCodec.Decode(blob, row);
            Normalize(row);
            i++;
        }

        if (i < n)
        {
            Array.Resize(ref keys, i);
            Array.Resize(ref skills, i);
            Array.Resize(ref statuses, i);
            Array.Resize(ref hashes, i);
            Array.Resize(ref timestamps, i);
        }

        return new VectorCache(version, dims, keys, vectors, skills, statuses, hashes, timestamps);
    }

    private bool Passes(int i, IndexFilter filter, long? from, long? to) =>
        (filter.Skill is null || string.Equals(filter.Skill, Skills[i], StringComparison.Ordinal))
        && (filter.Status is null || string.Equals(filter.Status, Statuses[i], StringComparison.Ordinal))
        && (filter.VersionHash is null || string.Equals(filter.VersionHash, VersionHashes[i], StringComparison.Ordinal))
        && (from is null || (Timestamps[i] is { } t1 && t1 >= from))
        && (to is null || (Timestamps[i] is { } t2 && t2 < to));

    private static void Normalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
    }

    /// <summary>
    /// The <paramref name="count"/> best keys by cosine similarity among rows passing the filter, best first. Rows are
    /// stored unit-length, so cosine is one SIMD dot product per row.
    /// </summary>
    public List<long> TopByCosine(ReadOnlySpan<float> queryVector, IndexFilter filter, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        Span<float> query = queryVector.Length <= 2048 ? stackalloc float[queryVector.Length] : new float[queryVector.Length];
        queryVector.CopyTo(query);
        Normalize(query);
        var heap = new PriorityQueue<long, float>(count + 1);
        var dims = Dimensions;
        var vectors = Vectors.AsSpan();
        var keys = Keys;
        var unfiltered = filter.IsEmpty;
        long? from = filter.From?.ToUnixTimeMilliseconds();
        long? to = filter.To?.ToUnixTimeMilliseconds();
        var worst = float.NegativeInfinity;
        for (var i = 0; i < keys.Length; i++)
        {
            if (!unfiltered && !Passes(i, filter, from, to))
            {
                continue;
            }

            var similarity = TensorPrimitives.Dot(query, vectors.Slice(i * dims, dims));
            if (float.IsNaN(similarity))
            {
                similarity = 0;
            }

            if (heap.Count < count)
            {
                heap.Enqueue(keys[i], similarity);
                if (heap.Count == count)
                {
                    heap.TryPeek(out _, out worst);
                }
            }
            else if (similarity > worst)
            {
                heap.DequeueEnqueue(keys[i], similarity);
                heap.TryPeek(out _, out worst);
            }
        }

        var result = new List<long>(heap.Count);
        while (heap.TryDequeue(out var key, out _))
        {
            result.Add(key);
        }

        result.Reverse();
        return result;
    }
}
