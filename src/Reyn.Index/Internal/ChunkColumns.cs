using Microsoft.Data.Sqlite;

namespace Reyn.Index.Internal;

/// <summary>
/// The keys and filterable columns of every chunk of one source at one write version, held in memory so the in-memory
/// rankers (<see cref="Bm25Index"/>, <see cref="VectorCache"/>) filter without touching SQLite. Rows are in primary key
/// order, so "row ascending" is "pk ascending". Strings are stored once each as small integer codes (a source has a
/// handful of skills, statuses and version hashes, not one per chunk).
/// </summary>
internal sealed class ChunkColumns
{
    /// <summary>The code of a NULL string column.</summary>
    public const int NullCode = -1;

    /// <summary>The stored value of a NULL timestamp (it never passes a time bound).</summary>
    public const long NullTimestamp = long.MinValue;

    private readonly Dictionary<string, int> _skillCodes;
    private readonly Dictionary<string, int> _statusCodes;
    private readonly Dictionary<string, int> _versionCodes;
    private readonly int[] _skills;
    private readonly int[] _statuses;
    private readonly int[] _versions;
    private readonly long[] _timestamps;

    private ChunkColumns(long version, long[] keys, int[] skills, int[] statuses, int[] versions, long[] timestamps,
        Dictionary<string, int> skillCodes, Dictionary<string, int> statusCodes, Dictionary<string, int> versionCodes)
    {
        Version = version;
        Keys = keys;
        _skills = skills;
        _statuses = statuses;
        _versions = versions;
        _timestamps = timestamps;
        _skillCodes = skillCodes;
        _statusCodes = statusCodes;
        _versionCodes = versionCodes;
    }

    /// <summary>The source's <c>write_version</c> these columns were read at.</summary>
    public long Version { get; }

    /// <summary>The primary key of each row, ascending.</summary>
    public long[] Keys { get; }

    /// <summary>How many chunks the source holds.</summary>
    public int Count => Keys.Length;

    /// <summary>
    /// Reads the columns of every chunk. Call inside a read transaction that also read <paramref name="version"/>, so
    /// the columns are exactly the rows of that version.
    /// </summary>
    public static ChunkColumns Load(SqliteConnection connection, SqliteTransaction transaction, long version)
    {
        var n = (int)CountRows(connection, transaction);

        var keys = new long[n];
        var skills = new int[n];
        var statuses = new int[n];
        var versions = new int[n];
        var timestamps = new long[n];
        var skillCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var statusCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var versionCodes = new Dictionary<string, int>(StringComparer.Ordinal);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT pk, skill, status, version_hash, ts FROM chunks ORDER BY pk";
        using var reader = cmd.ExecuteReader();
        var i = 0;
        while (i < n && reader.Read())
        {
            keys[i] = reader.GetInt64(0);
            skills[i] = Code(reader, 1, skillCodes);
            statuses[i] = Code(reader, 2, statusCodes);
            versions[i] = Code(reader, 3, versionCodes);
            timestamps[i] = reader.IsDBNull(4) ? NullTimestamp : reader.GetInt64(4);
            i++;
        }

        return new ChunkColumns(version, keys, skills, statuses, versions, timestamps, skillCodes, statusCodes, versionCodes);
    }

    /// <summary>How many chunks the source holds, as <paramref name="transaction"/> reads it.</summary>
    public static long CountRows(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT count(*) FROM chunks";
        return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Code(SqliteDataReader reader, int ordinal, Dictionary<string, int> codes)
    {
        if (reader.IsDBNull(ordinal))
        {
            return NullCode;
        }

        var value = reader.GetString(ordinal);
        if (!codes.TryGetValue(value, out var code))
        {
            code = codes.Count;
            codes.Add(value, code);
        }

        return code;
    }

    /// <summary>The row of primary key <paramref name="key"/>, or a negative number when it is not held.</summary>
    public int RowOf(long key) => Array.BinarySearch(Keys, key);

    /// <summary>Resolves <paramref name="filter"/> against these columns once per query.</summary>
    public ColumnFilter Compile(IndexFilter filter)
    {
        if (filter.IsEmpty)
        {
            return ColumnFilter.None;
        }

        return new ColumnFilter(
            CodeOf(filter.Skill, _skillCodes),
            CodeOf(filter.Status, _statusCodes),
            CodeOf(filter.VersionHash, _versionCodes),
            filter.From?.ToUnixTimeMilliseconds(),
            filter.To?.ToUnixTimeMilliseconds());
    }

    // A value no row holds gets a code no row has, so the filter matches nothing (as the SQL equality would).
    private static int? CodeOf(string? value, Dictionary<string, int> codes) =>
        value is null ? null : codes.TryGetValue(value, out var code) ? code : int.MaxValue;

    /// <summary>Whether row <paramref name="row"/> passes <paramref name="filter"/> (SQL semantics: NULL never equals, never compares).</summary>
    public bool Passes(int row, in ColumnFilter filter)
    {
        if (filter.IsEmpty)
        {
            return true;
        }

        if ((filter.Skill is { } skill && _skills[row] != skill)
            || (filter.Status is { } status && _statuses[row] != status)
            || (filter.VersionHash is { } version && _versions[row] != version))
        {
            return false;
        }

        var ts = _timestamps[row];
        return (filter.From is not { } from || (ts != NullTimestamp && ts >= from))
            && (filter.To is not { } to || (ts != NullTimestamp && ts < to));
    }
}
