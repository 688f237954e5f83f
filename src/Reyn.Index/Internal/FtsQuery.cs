using System.Text;

namespace Reyn.Index.Internal;

/// <summary>
/// Turns free text into safe FTS5 MATCH expressions: each word quoted (no FTS syntax gets through), common English
/// stop words dropped (unless nothing else is left), joined with AND (all words: selective, fast) or OR (any word).
/// </summary>
internal static class FtsQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "in", "of", "on", "at", "to", "for", "and", "or", "is", "are", "was", "were", "be", "by", "with",
        "from", "what", "which", "where", "when", "how", "why", "my", "this", "that", "these", "those", "it", "its", "all", "any",
    };

    /// <summary>The quoted words of <paramref name="text"/>; empty when it has none.</summary>
    public static List<string> Terms(string text)
    {
        var words = new List<string>();
        var stopped = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (isWordChar)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var word = "\"" + text[start..i].ToLowerInvariant() + "\"";
                var target = StopWords.Contains(word[1..^1]) ? stopped : words;
                if (!target.Contains(word))
                {
                    target.Add(word);
                }

                start = -1;
            }
        }

        return words.Count > 0 ? words : stopped;
    }

    /// <summary>The terms joined with <c>AND</c> or <c>OR</c>; null when there are none.</summary>
    public static string? Build(string text, bool all = false)
    {
        var terms = Terms(text);
        return terms.Count == 0 ? null : Join(terms, all);
    }

    public static string Join(List<string> terms, bool all)
    {
        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(all ? " AND " : " OR ");
            }

            builder.Append(term);
        }

        return builder.ToString();
    }
}
