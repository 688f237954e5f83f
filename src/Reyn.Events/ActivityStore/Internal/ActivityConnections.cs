using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Reyn.Events.ActivityStore.Internal;

/// <summary>Opens connections to a store file with the pragmas every reader and writer uses.</summary>
internal static class ActivityConnections
{
    /// <summary>Opens <paramref name="path"/> in WAL mode with <c>busy_timeout</c>; creates it (and its directory) when <paramref name="create"/>.</summary>
    public static SqliteConnection Open(string path, TimeSpan busyTimeout, bool create)
    {
        if (create)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
