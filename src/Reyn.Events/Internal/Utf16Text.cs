namespace Reyn.Events.Internal;

/// <summary>Repairs invalid UTF-16 (lone surrogates) so that text can always be encoded as UTF-8 JSON.</summary>
internal static class Utf16Text
{
    /// <summary>The replacement for a lone surrogate (U+FFFD).</summary>
    public const char Replacement = '\uFFFD';

    /// <summary>Whether <paramref name="text"/> holds a surrogate that is not part of a valid pair.</summary>
    public static bool HasInvalidSurrogates(ReadOnlySpan<char> text)
    {
        var index = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (index < 0)
        {
            return false;
        }

        for (var i = index; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return true;
            }

            if (char.IsLowSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns <paramref name="text"/> itself when valid, else a copy with each lone surrogate replaced by U+FFFD.</summary>
    public static string Scrub(string text)
    {
        if (!HasInvalidSurrogates(text))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
                {
                    span[i] = c;
                    span[i + 1] = source[i + 1];
                    i++;
                }
                else
                {
                    span[i] = char.IsSurrogate(c) ? Replacement : c;
                }
            }
        });
    }
}
