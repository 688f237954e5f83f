using System.Buffers;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reyn.Events.Sanitization.Internal;

/// <summary>
/// Redacts only the part of a long string that survives the length cap, in time proportional to that part (plus
/// vectorized look-ahead scans), instead of running the regexes over the whole string.
/// </summary>
/// <remarks>
/// <para>The cap keeps at most <c>maxLength</c> characters of the redacted text. Every pattern of
/// <see cref="SecretPatterns"/> whose redacted part begins before position <c>p</c> is recognised within a window of
/// <c>p + Margin</c> characters, except two whose secret part comes before an unbounded run and a required terminator:
/// the userinfo of <c>scheme://user:pass@</c> (needs the <c>@</c>) and a JWT (needs two dots). Their candidates
/// beginning before <c>p</c> are followed with vectorized scans and the window is stretched to cover them.</para>
/// <para>The window is redacted exactly like the full string would be, and only the output corresponding to input
/// positions before <c>p</c> (a match straddling <c>p</c> counts as before) is used. When redaction shrank that safe
/// prefix below <c>maxLength</c>, <c>p</c> doubles and the window is redacted again: total work stays linear.</para>
/// </remarks>
internal static class CappedRedaction
{
    /// <summary>Characters scanned past the safe boundary; longer than any pattern needs to be recognised (SendGrid keys: 69).</summary>
    internal const int Margin = 96;

    private static readonly SearchValues<char> UserinfoStops = CreateUserinfoStops();

    private static readonly SearchValues<char> JwtChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>
    /// Returns a redacted prefix of <paramref name="text"/> at least <paramref name="maxLength"/> characters long (or
    /// the whole redacted text) and, in <paramref name="totalLength"/>, the length the fully redacted text is counted
    /// as: the redacted prefix plus the unscanned remainder (which the cap discards).
    /// </summary>
    public static string RedactPrefix(string text, int maxLength, out int totalLength)
    {
        var boundary = maxLength + Margin;
        while (true)
        {
            var windowEnd = boundary >= text.Length ? text.Length : WindowEnd(text, boundary);
            if (windowEnd >= text.Length)
            {
                var full = SecretPatterns.Redact(text);
                totalLength = full.Length;
                return full;
            }

            var redacted = RedactTracked(text[..windowEnd], boundary, out var safeLength);
            if (safeLength >= maxLength)
            {
                totalLength = safeLength + (text.Length - boundary);
                return redacted.Length == safeLength ? redacted : redacted[..safeLength];
            }

            // Redaction shrank the safe prefix below the cap (a very long secret): look further.
            boundary = boundary > text.Length / 2 ? text.Length : boundary * 2;
        }
    }

    /// <summary>The end of the window that recognises every secret whose redacted part begins before <paramref name="boundary"/>.</summary>
    internal static int WindowEnd(string text, int boundary)
    {
        var span = text.AsSpan();
        var end = Math.Min(text.Length, boundary + Margin);

        // scheme://userinfo@ : the userinfo is redacted, and the regex only sees it once the '@' is in the window.
        for (var i = span[..boundary].IndexOf("://", StringComparison.Ordinal); i >= 0;)
        {
            var start = i + 3;
            var stop = span[start..].IndexOfAny(UserinfoStops);
            if (stop >= 0 && span[start + stop] == '@')
            {
                end = Math.Max(end, start + stop + 1);
            }

            if (start >= boundary)
            {
                break;
            }

            var next = span[start..boundary].IndexOf("://", StringComparison.Ordinal);
            i = next < 0 ? -1 : start + next;
        }

        // eyJ<seg>.<seg>.<seg> : the whole token is redacted, and the regex only sees it once both dots are in the window.
        var runEnd = -1;
        for (var i = span[..boundary].IndexOf("eyJ", StringComparison.Ordinal); i >= 0;)
        {
            if (i >= runEnd)
            {
                runEnd = RunEnd(span, i);
                if (runEnd < span.Length && span[runEnd] == '.')
                {
                    var second = RunEnd(span, runEnd + 1);
                    if (second < span.Length && span[second] == '.')
                    {
                        end = Math.Max(end, Math.Min(span.Length, second + 1 + Margin));
                    }
                }
            }

            var from = i + 3;
            if (from >= boundary)
            {
                break;
            }

            var next = span[from..boundary].IndexOf("eyJ", StringComparison.Ordinal);
            i = next < 0 ? -1 : from + next;
        }

        return end;
    }

    private static int RunEnd(ReadOnlySpan<char> span, int start)
    {
        var length = span[start..].IndexOfAnyExcept(JwtChars);
        return length < 0 ? span.Length : start + length;
    }

    /// <summary>Redacts <paramref name="window"/> as <see cref="SecretPatterns.Redact"/> does and maps input position <paramref name="boundary"/> to the output.</summary>
    private static string RedactTracked(string window, int boundary, out int mappedBoundary)
    {
        if (!SecretPatterns.MayContainSecret(window))
        {
            mappedBoundary = boundary;
            return window;
        }

        var first = new PositionMap(boundary, SecretPatterns.ReplaceCaseInsensitive);
        var once = SecretPatterns.CaseInsensitive.Replace(window, first.Evaluate);
        var second = new PositionMap(first.Result, SecretPatterns.ReplaceCaseSensitive);
        var twice = SecretPatterns.CaseSensitive.Replace(once, second.Evaluate);
        mappedBoundary = second.Result;
        return twice;
    }

    private static SearchValues<char> CreateUserinfoStops()
    {
        // Everything that ends the [^\s/?#]+ run of the URL pattern, plus '@' which completes it.
        var stops = new List<char> { '/', '?', '#', '@' };
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            if (char.IsWhiteSpace(ch) || char.GetUnicodeCategory(ch) is UnicodeCategory.SpaceSeparator
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                stops.Add(ch);
            }
        }

        return SearchValues.Create(stops.ToArray());
    }

    /// <summary>Follows the replacements of one pass to map an input position to the output.</summary>
    private sealed class PositionMap(int target, Func<Match, string> replace)
    {
        private int _delta;
        private bool _resolved;
        private int _result;

        public int Result => _resolved ? _result : target + _delta;

        public string Evaluate(Match match)
        {
            var replacement = replace(match);
            if (!_resolved)
            {
                if (match.Index >= target)
                {
                    _result = target + _delta;
                    _resolved = true;
                }
                else if (match.Index + match.Length > target)
                {
                    // A match straddling the boundary is kept whole (its replacement is safe text).
                    _result = match.Index + _delta + replacement.Length;
                    _resolved = true;
                }
                else
                {
                    _delta += replacement.Length - match.Length;
                }
            }

            return replacement;
        }
    }
}
