using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// Rows of the activity table encoded as UTF-8, the form SQLite binds: every text column of every row is a slice of one
/// reused buffer, so a batch costs no string per column and no transcoding when it is bound. The one place an event
/// becomes its columns (summary, source and level from <see cref="EventCatalog"/>, data as JSON, the FTS body).
/// Single-threaded.
/// </summary>
internal sealed class Utf8ActivityRows : IDisposable
{
    /// <summary>Top-level fields whose string values the FTS body leaves out (see <see cref="ActivitySchema.BodyExpression"/>).</summary>
    private static readonly string[] NotIndexed =
        [EventFields.Project, EventFields.Agent, EventFields.SessionId, EventFields.RunId, EventFields.Level, EventFields.Emitter, EventFields.AuditSeq];

    private static readonly byte[][] NotIndexedUtf8 = [.. NotIndexed.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The length of <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>; the first 20 bytes are the same for a whole second.</summary>
    private const int TimestampLength = 24;

    private const int ColumnCount = (int)ActivityColumn.Body + 1;

    private readonly ArrayBufferWriter<byte> _bytes = new(64 * 1024);
    private readonly List<long> _timestamps = [];

    // Per row and column: the start of the column's bytes in _bytes (-1 for NULL) and their length.
    private readonly List<(int Start, int Length)> _columns = [];

    private readonly JsonBufferWriter _json = new(default);
    private readonly byte[] _second = new byte[TimestampLength - 4];
    private long _secondTicks = -1;

    /// <summary>The rows added since the last <see cref="Clear"/>.</summary>
    public int Count => _timestamps.Count;

    /// <summary>Removes every row, keeping the buffers.</summary>
    public void Clear()
    {
        _bytes.ResetWrittenCount();
        _timestamps.Clear();
        _columns.Clear();
    }

    /// <summary>The row's time in Unix epoch milliseconds (UTC).</summary>
    public long TimestampMs(int row) => _timestamps[row];

    /// <summary>Whether the row's column is NULL.</summary>
    public bool IsNull(int row, ActivityColumn column) => _columns[(row * ColumnCount) + (int)column].Start < 0;

    /// <summary>The row's column as UTF-8 (empty for NULL; see <see cref="IsNull"/>).</summary>
    public ReadOnlySpan<byte> Text(int row, ActivityColumn column)
    {
        var (start, length) = _columns[(row * ColumnCount) + (int)column];
        return start < 0 ? default : _bytes.WrittenSpan.Slice(start, length);
    }

    /// <summary>The row's column as a string, or <see langword="null"/> for NULL.</summary>
    public string? GetString(int row, ActivityColumn column) => IsNull(row, column) ? null : Encoding.UTF8.GetString(Text(row, column));

    /// <summary>Replaces the rows with <paramref name="events"/>, one row each, in order.</summary>
    public void Encode(IReadOnlyList<ReynEvent> events)
    {
        Clear();
        for (var i = 0; i < events.Count; i++)
        {
            Add(events[i]);
        }
    }

    /// <summary>Encodes <paramref name="evt"/> as the next row.</summary>
    public void Add(ReynEvent evt)
    {
        _timestamps.Add(evt.Timestamp.ToUnixTimeMilliseconds());
        AddTimestamp(evt.Timestamp.UtcDateTime);
        AddText(evt.Data.GetString(EventFields.Project));
        AddText(evt.Data.GetString(EventFields.Agent));
        AddText(evt.Data.GetString(EventFields.SessionId));
        AddText(evt.Data.GetString(EventFields.RunId));
        AddText(EventCatalog.SourceOf(evt.Type));
        AddText(evt.Type);
        AddText(EventCatalog.LevelName(EventCatalog.LevelOf(evt)));
        AddText(EventCatalog.Summarize(evt));
        if (!TryAddPlainDataAndBody(evt.Data))
        {
            AddData(evt.Data);
            AddBody();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    /// <summary>
    /// Writes the FTS body of a JSON payload into <paramref name="body"/> (at least as long as the payload): its string
    /// values joined by spaces (keys, numbers and booleans left out), minus the top-level string values of the
    /// <see cref="NotIndexed"/> fields. The same text the schema's SQL expression derives when it rebuilds the index, so
    /// a rebuilt index ranks like a written one. Returns the byte count.
    /// </summary>
    public static int WriteBody(ReadOnlySpan<byte> json, Span<byte> body)
    {
        var reader = new Utf8JsonReader(json);
        var length = 0;
        var skipNext = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    skipNext = reader.CurrentDepth == 1 && IsNotIndexed(ref reader);
                    continue;
                case JsonTokenType.String when !skipNext:
                    if (length > 0)
                    {
                        body[length++] = (byte)' ';
                    }

                    // Unescaped text is never longer than its quoted, escaped form, so the body fits in the payload's length.
                    length += reader.ValueIsEscaped ? reader.CopyString(body[length..]) : CopyValue(reader.ValueSpan, body[length..]);
                    break;
            }

            skipNext = false;
        }

        return length;
    }

    private static int CopyValue(ReadOnlySpan<byte> value, Span<byte> target)
    {
        value.CopyTo(target);
        return value.Length;
    }

    private static bool IsNotIndexed(ref Utf8JsonReader reader)
    {
        foreach (var name in NotIndexedUtf8)
        {
            if (reader.ValueTextEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    private void AddText(string? value)
    {
        if (value is null)
        {
            _columns.Add((-1, 0));
            return;
        }

        var span = _bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        Commit(Encoding.UTF8.GetBytes(value, span));
    }

    /// <summary>The time as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, the date and time up to the second formatted once per second.</summary>
    private void AddTimestamp(DateTime utc)
    {
        var ticks = utc.Ticks;
        var secondTicks = ticks - (ticks % TimeSpan.TicksPerSecond);
        if (secondTicks != _secondTicks)
        {
            new DateTime(secondTicks).TryFormat(_second, out _, "yyyy-MM-dd'T'HH:mm:ss'.'", CultureInfo.InvariantCulture);
            _secondTicks = secondTicks;
        }

        var span = _bytes.GetSpan(TimestampLength);
        _second.CopyTo(span);
        var milliseconds = (int)(ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMillisecond);
        span[20] = (byte)('0' + (milliseconds / 100));
        span[21] = (byte)('0' + (milliseconds / 10 % 10));
        span[22] = (byte)('0' + (milliseconds % 10));
        span[23] = (byte)'Z';
        Commit(TimestampLength);
    }

    /// <summary>
    /// The payload as a JSON object and its FTS body when every field is plain (see <see cref="JsonBufferWriter.TryPlainProperties"/>):
    /// then every value is top-level and a string's JSON text is the string itself, so the body is taken from the fields
    /// instead of parsed back out of the JSON. False (nothing added) otherwise.
    /// </summary>
    private bool TryAddPlainDataAndBody(EventData data)
    {
        const int plainHint = 4096;
        var span = _bytes.GetSpan(plainHint);
        span[0] = (byte)'{';
        var position = 1;
        if (!_json.TryPlainProperties(data, span, ref position) || position >= span.Length)
        {
            return false;
        }

        span[position++] = (byte)'}';
        Commit(position);

        span = _bytes.GetSpan(position);
        var length = 0;
        for (var i = 0; i < data.Count; i++)
        {
            if (data.ValueAt(i) is string value && Array.IndexOf(NotIndexed, data.KeyAt(i)) < 0)
            {
                if (length > 0)
                {
                    span[length++] = (byte)' ';
                }

                length += Encoding.UTF8.GetBytes(value, span[length..]);
            }
        }

        Commit(length);
        return true;
    }

    /// <summary>The payload as a JSON object, byte for byte what <see cref="JsonValueWriter"/> writes with default options.</summary>
    private void AddData(EventData data)
    {
        var start = _bytes.WrittenCount;
        JsonBufferWriter.Raw(_bytes, "{"u8);
        _json.Properties(_bytes, data);
        JsonBufferWriter.Raw(_bytes, "}"u8);
        _columns.Add((start, _bytes.WrittenCount - start));
    }

    private void AddBody()
    {
        var (dataStart, dataLength) = _columns[^1];
        var body = _bytes.GetSpan(dataLength);
        Commit(WriteBody(_bytes.WrittenSpan.Slice(dataStart, dataLength), body));
    }

    /// <summary>Records the <paramref name="length"/> bytes just written into the span from <c>GetSpan</c> as the next column.</summary>
    private void Commit(int length)
    {
        _columns.Add((_bytes.WrittenCount, length));
        _bytes.Advance(length);
    }
}
