using System.Globalization;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.Index;

namespace Reyn.Cli.Commands;

/// <summary>Shared plumbing of the index, recall, ops and eval commands.</summary>
internal static class IndexCliSupport
{
    /// <summary>Runs a command body; user errors (bad flags, data that cannot answer) become one stderr line and exit code 2.</summary>
    public static async Task<int> GuardAsync(CliContext context, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliUserException or EvalCompareException or IndexModelMismatchException)
        {
            await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UserError;
        }
    }

    /// <summary>
    /// The SQLite backend of the root (<c>&lt;root&gt;/index</c>). A command runs one query per process, so it ranks with
    /// FTS5 directly instead of first building the in-memory BM25 index a long-lived host amortizes.
    /// </summary>
    public static SqliteIndexBackend Backend(string root) => new(Path.Combine(root, "index")) { InMemoryBm25 = false };

    /// <summary>Parses an ISO-8601 time given on the command line (no offset means UTC).</summary>
    public static DateTimeOffset? ParseTime(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw new CliUserException($"{option} '{value}' is not an ISO-8601 time. Use for example {option} 2026-05-01T00:00:00Z (or 2026-05-01).");
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    public static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
