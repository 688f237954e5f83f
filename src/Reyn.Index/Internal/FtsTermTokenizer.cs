using Microsoft.Data.Sqlite;

namespace Reyn.Index.Internal;

/// <summary>
/// Turns query words into the terms FTS5 stores, with FTS5's own tokenizer (a TEMP fts5 table declared with the same
/// <c>tokenize=</c> string as <c>chunks_fts</c>, read back through an <c>fts5vocab</c> instance table), so stemming and
/// case/diacritic folding can never disagree with the index.
/// </summary>
internal static class FtsTermTokenizer
{
    /// <summary>
    /// The <c>tokenize=</c> argument of <c>chunks_fts</c> and of the query-word table (they must match). <c>_</c>
    /// separates words, as in PostgreSQL's parser and the activity store: <c>triage</c> finds skill <c>triage_logs</c>,
    /// and <c>triage_logs</c> is the phrase <c>triage logs</c>.
    /// </summary>
    public const string Tokenize = "porter unicode61";

    /// <summary>What index files written before 2026-12-07 declare (identifiers stayed one term); upgraded on open.</summary>
    public const string PreviousTokenize = "porter unicode61 tokenchars '_'";

    private const string CreateTables = $"""
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.reyn_query_words USING fts5(word, tokenize="{Tokenize}");
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.reyn_query_words_vocab USING fts5vocab(temp, reyn_query_words, instance);
        """;

    /// <summary>
    /// The FTS5 term of each quoted word from <see cref="FtsQuery.Terms"/>, in order; null when any word is not exactly
    /// one term (FTS5 would then match it as a multi-token phrase, which only the FTS5 path evaluates).
    /// </summary>
    public static string[]? Terms(SqliteConnection connection, List<string> quotedWords)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = CreateTables;
            create.ExecuteNonQuery();
        }

        try
        {
            using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO temp.reyn_query_words(rowid, word) VALUES ($i, $w)";
                var pIndex = insert.Parameters.Add("$i", SqliteType.Integer);
                var pWord = insert.Parameters.Add("$w", SqliteType.Text);
                for (var i = 0; i < quotedWords.Count; i++)
                {
                    pIndex.Value = i;
                    pWord.Value = quotedWords[i][1..^1];
                    insert.ExecuteNonQuery();
                }
            }

            var terms = new string?[quotedWords.Count];
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT doc, term FROM temp.reyn_query_words_vocab";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var doc = reader.GetInt32(0);
                if (terms[doc] is not null)
                {
                    return null;
                }

                terms[doc] = reader.GetString(1);
            }

            var result = new string[terms.Length];
            for (var i = 0; i < terms.Length; i++)
            {
                if (terms[i] is not { } term)
                {
                    return null;
                }

                result[i] = term;
            }

            return result;
        }
        finally
        {
            using var clear = connection.CreateCommand();
            clear.CommandText = "DELETE FROM temp.reyn_query_words";
            clear.ExecuteNonQuery();
        }
    }
}
