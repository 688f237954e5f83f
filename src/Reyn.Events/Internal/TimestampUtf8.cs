using System.Buffers;
using System.Text.Json;

namespace Reyn.Events.Internal;

/// <summary>
/// Writes a <see cref="DateTimeOffset"/> JSON string byte-for-byte as <see cref="Utf8JsonWriter.WriteStringValue(DateTimeOffset)"/>
/// does (<c>"yyyy-MM-ddTHH:mm:ss[.fffffff, trailing zeros trimmed]+hh:mm"</c>), reusing the formatted
/// date, time and offset while events keep arriving within the same second (the usual case on an emit path).
/// <see cref="FormatUtc"/> writes a UTC <see cref="DateTime"/> the same way (ending in <c>Z</c>), for the WAL.
/// </summary>
internal sealed class TimestampUtf8
{
    /// <summary>The longest value <see cref="Format"/> writes, quotes included.</summary>
    public const int MaxLength = 20 + 8 + 6 + 1;

    // The opening quote and "yyyy-MM-ddTHH:mm:ss"; then ".fffffff" at most, "+hh:mm" and the closing quote.
    private readonly byte[] _second = new byte[20];
    private readonly byte[] _offset = new byte[6];
    private long _secondTicks = long.MinValue;
    private long _offsetTicks = long.MinValue;

    [ThreadStatic]
    private static TimestampUtf8? t_current;

    /// <summary>The formatter of the calling thread.</summary>
    public static TimestampUtf8 Current => t_current ??= new TimestampUtf8();

    /// <summary>Writes <paramref name="value"/> as a JSON string value.</summary>
    public void WriteValue(Utf8JsonWriter writer, DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        writer.WriteRawValue(text[..Format(value, text)], skipInputValidation: true);
    }

    /// <summary>Writes <paramref name="value"/> as a JSON string (quotes included) into <paramref name="buffer"/>.</summary>
    public void Write(IBufferWriter<byte> buffer, DateTimeOffset value) => buffer.Advance(Format(value, buffer.GetSpan(MaxLength)));

    /// <summary>Writes the quoted value into <paramref name="text"/> (at least <see cref="MaxLength"/> bytes); the byte count.</summary>
    public int Format(DateTimeOffset value, Span<byte> text)
    {
        var length = WriteSecondAndFraction(value.Ticks, text);
        var offsetTicks = value.Offset.Ticks;
        if (offsetTicks != _offsetTicks)
        {
            FormatOffset(value.Offset);
            _offsetTicks = offsetTicks;
        }

        _offset.CopyTo(text[length..]);
        length += _offset.Length;
        text[length++] = (byte)'"';
        return length;
    }

    /// <summary>
    /// Writes a UTC <see cref="DateTime"/> unquoted, as <see cref="Utf8JsonWriter"/> writes it inside its quotes
    /// (<c>yyyy-MM-ddTHH:mm:ss[.fffffff, trailing zeros trimmed]Z</c>), into <paramref name="text"/> (at least
    /// <see cref="MaxLength"/> bytes); the byte count.
    /// </summary>
    public int FormatUtc(DateTime utc, Span<byte> text)
    {
        var length = WriteSecondAndFraction(utc.Ticks, text);
        text[1..length].CopyTo(text);
        text[length - 1] = (byte)'Z';
        return length;
    }

    /// <summary>The opening quote, the second (formatted once per second) and the trimmed fraction; the byte count.</summary>
    private int WriteSecondAndFraction(long ticks, Span<byte> text)
    {
        var secondTicks = ticks - (ticks % TimeSpan.TicksPerSecond);
        if (secondTicks != _secondTicks)
        {
            FormatSecond(new DateTime(secondTicks));
            _secondTicks = secondTicks;
        }

        _second.CopyTo(text);
        var length = _second.Length;
        var fraction = (int)(ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            text[length++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (var i = digits - 1; i >= 0; i--)
            {
                text[length + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            length += digits;
        }

        return length;
    }

    private void FormatSecond(DateTime value)
    {
        var b = _second;
        b[0] = (byte)'"';
        Digits(b, 1, value.Year, 4);
        b[5] = (byte)'-';
        Digits(b, 6, value.Month, 2);
        b[8] = (byte)'-';
        Digits(b, 9, value.Day, 2);
        b[11] = (byte)'T';
        Digits(b, 12, value.Hour, 2);
        b[14] = (byte)':';
        Digits(b, 15, value.Minute, 2);
        b[17] = (byte)':';
        Digits(b, 18, value.Second, 2);
    }

    private void FormatOffset(TimeSpan offset)
    {
        var b = _offset;
        b[0] = offset < TimeSpan.Zero ? (byte)'-' : (byte)'+';
        var minutes = Math.Abs((int)offset.TotalMinutes);
        Digits(b, 1, minutes / 60, 2);
        b[3] = (byte)':';
        Digits(b, 4, minutes % 60, 2);
    }

    private static void Digits(byte[] target, int start, int value, int count)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
