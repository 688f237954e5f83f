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
        var length = WriteSecondAndFraction(value.Ticks, text, quoted: true);
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
        var length = WriteSecondAndFraction(utc.Ticks, text, quoted: false);
        text[length++] = (byte)'Z';
        return length;
    }

    /// <summary>
    /// The second (formatted once per second, with its opening quote when <paramref name="quoted"/>) and the fraction
    /// with its trailing zeros trimmed; the byte count.
    /// </summary>
    private int WriteSecondAndFraction(long ticks, Span<byte> text, bool quoted)
    {
        var fraction = ticks % TimeSpan.TicksPerSecond;
        var secondTicks = ticks - fraction;
        if (secondTicks != _secondTicks)
        {
            FormatSecond(new DateTime(secondTicks));
            _secondTicks = secondTicks;
        }

        ReadOnlySpan<byte> second = quoted ? _second : _second.AsSpan(1);
        second.CopyTo(text);
        var length = second.Length;
        if (fraction == 0)
        {
            return length;
        }

        // The seven digits as three pairs and a last digit, then the trailing zeros dropped.
        var digits = text.Slice(length, 8);
        digits[0] = (byte)'.';
        var value = (uint)fraction;
        var high = value / 100_000; // digits 1-2
        value -= high * 100_000;
        var middle = value / 1_000; // digits 3-4
        value -= middle * 1_000;
        var low = value / 10; // digits 5-6
        WritePair(digits, 1, high);
        WritePair(digits, 3, middle);
        WritePair(digits, 5, low);
        digits[7] = (byte)('0' + (value - (low * 10)));
        var end = 8;
        while (digits[end - 1] == (byte)'0')
        {
            end--;
        }

        return length + end;
    }

    private static void WritePair(Span<byte> target, int index, uint value)
    {
        var pair = value * 2;
        target[index] = TwoDigits[(int)pair];
        target[index + 1] = TwoDigits[(int)pair + 1];
    }

    private static ReadOnlySpan<byte> TwoDigits =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

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
