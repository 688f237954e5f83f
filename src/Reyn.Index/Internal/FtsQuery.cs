using System.Text;

namespace Reyn.Index.Internal;

/// <summary>Turns free text into a safe FTS5 MATCH expression: each word quoted, joined with OR (BM25 ranks).</summary>
internal static class FtsQuery
{
    public static string? Build(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        var start = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
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
                var word = text[start..i].ToLowerInvariant();
                start = -1;
                if (!seen.Add(word))
                {
                    continue;
                }

                if (builder.Length > 0)
                {
                    builder.Append(" OR ");
                }

                builder.Append('"').Append(word).Append('"');
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
