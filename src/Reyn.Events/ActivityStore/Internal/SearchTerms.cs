using System.Text;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>
/// The user's search text as literal terms: words (letters, digits, <c>_</c>), <c>"quoted phrases"</c> and <c>word*</c>
/// prefixes. Everything else (operators, quotes, <c>-</c>, parentheses, SQL) separates words and can neither break nor
/// inject into the FTS5 or <c>LIKE</c> query built from the terms.
/// </summary>
internal sealed class SearchTerms
{
    private SearchTerms(List<Term> terms) => Terms = terms;

    public IReadOnlyList<Term> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    public static SearchTerms Parse(string? text)
    {
        var terms = new List<Term>();
        var s = text ?? string.Empty;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                var end = s.IndexOf('"', i + 1);
                if (end < 0)
                {
                    end = s.Length;
                }

                var words = Words(s.AsSpan(i + 1, end - i - 1));
                if (words.Count > 0)
                {
                    terms.Add(new Term(string.Join(' ', words), IsPhrase: words.Count > 1, IsPrefix: false));
                }

                i = end + 1;
                continue;
            }

            if (IsWordChar(c))
            {
                var start = i;
                while (i < s.Length && IsWordChar(s[i]))
                {
                    i++;
                }

                var prefix = i < s.Length && s[i] == '*';
                terms.Add(new Term(s[start..i], IsPhrase: false, IsPrefix: prefix));
                continue;
            }

            i++;
        }

        return new SearchTerms(terms);
    }

    /// <summary>The FTS5 MATCH expression: every term double-quoted (so it is a literal string), prefixes starred, joined by AND.</summary>
    public string ToFtsQuery()
    {
        var builder = new StringBuilder();
        foreach (var term in Terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(" AND ");
            }

            builder.Append('"').Append(term.Text).Append('"');
            if (term.IsPrefix)
            {
                builder.Append(" *");
            }
        }

        return builder.ToString();
    }

    /// <summary>One <c>LIKE</c> pattern per term (<c>%term%</c>) with <c>\</c>, <c>%</c> and <c>_</c> escaped by <c>\</c>.</summary>
    public IEnumerable<string> ToLikePatterns()
    {
        foreach (var term in Terms)
        {
            var builder = new StringBuilder(term.Text.Length + 4).Append('%');
            foreach (var c in term.Text)
            {
                if (c is '\\' or '%' or '_')
                {
                    builder.Append('\\');
                }

                builder.Append(c);
            }

            yield return builder.Append('%').ToString();
        }
    }

    private static List<string> Words(ReadOnlySpan<char> span)
    {
        var words = new List<string>();
        var i = 0;
        while (i < span.Length)
        {
            if (!IsWordChar(span[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < span.Length && IsWordChar(span[i]))
            {
                i++;
            }

            words.Add(span[start..i].ToString());
        }

        return words;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>One literal term.</summary>
    internal readonly record struct Term(string Text, bool IsPhrase, bool IsPrefix);
}
