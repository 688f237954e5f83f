using Npgsql;
using NpgsqlTypes;

namespace Reyn.PostgreSql;

/// <summary>Creates time partitions on demand and drops expired ones (retention without row deletes).</summary>
internal static class ActivityPartitionMaintenance
{
    private const long PartitionLockKey = 0x5265796E_50415254; // "ReynPART"

    public static async Task<List<DateTime>> ListAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE n.nspname = $1 AND p.relname = 'activity_events'
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        var starts = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ActivityPartitions.TryParseStart(reader.GetString(0)) is { } start)
            {
                starts.Add(start);
            }
        }

        starts.Sort();
        return starts;
    }

    public static async Task EnsureAsync(NpgsqlConnection connection, string schema, DateTime start, ActivityPartitioning partitioning, CancellationToken cancellationToken)
    {
        var end = ActivityPartitions.EndOf(start, partitioning);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PartitionLockKey})", connection, tx))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, tx))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema + "." + ActivityPartitions.NameOf(start) });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        // Bounds are formatted from DateTime values we computed (not user text), so inlining them is safe.
        var sql = $"CREATE TABLE {schema}.{ActivityPartitions.NameOf(start)} PARTITION OF {schema}.activity_events " +
                  $"FOR VALUES FROM ('{start:yyyy-MM-dd} 00:00:00+00') TO ('{end:yyyy-MM-dd} 00:00:00+00')";
        await using (var create = new NpgsqlCommand(sql, connection, tx))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every partition that ends at or before <paramref name="cutoff"/>; returns the rows they held.</summary>
    public static async Task<long> DropExpiredAsync(NpgsqlConnection connection, string schema, DateTimeOffset cutoff, ActivityPartitioning partitioning, CancellationToken cancellationToken)
    {
        var dropped = 0L;
        foreach (var start in await ListAsync(connection, schema, cancellationToken).ConfigureAwait(false))
        {
            // A week partition is 7 days wide even when the store is now configured by day: use the real bound.
            var end = await UpperBoundAsync(connection, schema, start, cancellationToken).ConfigureAwait(false) ?? ActivityPartitions.EndOf(start, partitioning);
            if (end > cutoff.UtcDateTime)
            {
                continue;
            }

            var name = schema + "." + ActivityPartitions.NameOf(start);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PartitionLockKey})", connection, tx))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var count = new NpgsqlCommand($"SELECT count(*) FROM {name}", connection, tx))
            {
                dropped += (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            await using (var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {name}", connection, tx))
            {
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return dropped;
    }

    private static async Task<DateTime?> UpperBoundAsync(NpgsqlConnection connection, string schema, DateTime start, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ActivityPartitions.NameOf(start) });
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string bound)
        {
            return null;
        }

        // FOR VALUES FROM ('2026-05-01 00:00:00+00') TO ('2026-05-02 00:00:00+00')
        var to = bound.LastIndexOf("TO ('", StringComparison.Ordinal);
        return to >= 0 && DateTimeOffset.TryParse(bound.AsSpan(to + 5, 22), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var end)
            ? end.UtcDateTime
            : null;
    }
}
