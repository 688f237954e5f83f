using System.Numerics.Tensors;

namespace Reyn.Index.Internal;

/// <summary>
/// The vectors of one source held in memory (one flat float array), so a hybrid query is a SIMD scan instead of reading
/// every blob from disk. Filters are checked against the shared <see cref="ChunkColumns"/> of the same write version.
/// Reloaded when the source's write version moves.
/// </summary>
internal sealed class VectorCache
{
    private readonly int[] _rows;

    private VectorCache(ChunkColumns columns, int dimensions, int[] rows, float[] vectors)
    {
        Columns = columns;
        Dimensions = dimensions;
        _rows = rows;
        Vectors = vectors;
    }

    public long Version => Columns.Version;

    /// <summary>The filter columns of the same write version (row <c>_rows[i]</c> belongs to vector <c>i</c>).</summary>
    public ChunkColumns Columns { get; }

    public int Dimensions { get; }

    /// <summary>How many vectors are cached.</summary>
    public int Count => _rows.Length;

    public float[] Vectors { get; }

    /// <summary>
    /// Reads every stored vector. Call inside the read transaction that loaded <paramref name="columns"/>, so every
    /// vector's row is among them.
    /// </summary>
    public static VectorCache Load(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, ChunkColumns columns)
    {
        using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT count(*), max(length(vector)) FROM chunks WHERE vector IS NOT NULL";
        long n;
        int dims;
        using (var r = count.ExecuteReader())
        {
            r.Read();
            n = r.GetInt64(0);
            dims = r.IsDBNull(1) ? 0 : r.GetInt32(1) / sizeof(float);
        }

        var rows = new int[n];
        var vectors = new float[n * dims];
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT pk, vector FROM chunks WHERE vector IS NOT NULL";
        using var reader = cmd.ExecuteReader();
        var i = 0;
        while (reader.Read() && i < n)
        {
            var blob = (byte[])reader.GetValue(1);
            var row = columns.RowOf(reader.GetInt64(0));
            if (blob.Length != dims * sizeof(float) || row < 0)
            {
                continue;
            }

            rows[i] = row;
            var vector = vectors.AsSpan(i * dims, dims);
            VectorCodec.Decode(blob, vector);
            Normalize(vector);
            i++;
        }

        if (i < n)
        {
            Array.Resize(ref rows, i);
        }

        return new VectorCache(columns, dims, rows, vectors);
    }

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
        var rows = _rows;
        var columns = Columns;
        var compiled = columns.Compile(filter);
        var unfiltered = compiled.IsEmpty;
        var worst = float.NegativeInfinity;
        for (var i = 0; i < rows.Length; i++)
        {
            if (!unfiltered && !columns.Passes(rows[i], compiled))
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
                heap.Enqueue(columns.Keys[rows[i]], similarity);
                if (heap.Count == count)
                {
                    heap.TryPeek(out _, out worst);
                }
            }
            else if (similarity > worst)
            {
                heap.DequeueEnqueue(columns.Keys[rows[i]], similarity);
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
