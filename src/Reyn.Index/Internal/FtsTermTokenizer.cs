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
    /// The FTS5 terms of each quoted word from <see cref="FtsQuery.Terms"/>, in order (several for a word FTS5 splits, such
    /// as <c>triage_logs</c>, which it then matches as a phrase); null when a word has no term at all.
    /// </summary>
    public static string[][]? Terms(SqliteConnection connection, List<string> quotedWords)
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

            var terms = new List<(int Offset, string Term)>?[quotedWords.Count];
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT doc, offset, term FROM temp.reyn_query_words_vocab";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                (terms[reader.GetInt32(0)] ??= []).Add((reader.GetInt32(1), reader.GetString(2)));
            }

            var result = new string[terms.Length][];
            for (var i = 0; i < terms.Length; i++)
            {
                if (terms[i] is not { } word)
                {
                    return null;
                }

                word.Sort((a, b) => a.Offset.CompareTo(b.Offset));
                result[i] = [.. word.Select(t => t.Term)];
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
