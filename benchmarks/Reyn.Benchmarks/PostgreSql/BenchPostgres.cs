using Npgsql;

namespace Reyn.Benchmarks.PostgreSql;

/// <summary>The benchmark server: <c>REYN_TEST_POSTGRES</c> (start one with <c>.ci/postgres</c>).</summary>
internal static class BenchPostgres
{
    public static string ConnectionString => Environment.GetEnvironmentVariable("REYN_TEST_POSTGRES") is { Length: > 0 } cs
        ? cs
        : throw new InvalidOperationException("Set REYN_TEST_POSTGRES to an Npgsql connection string (run: export REYN_TEST_POSTGRES=\"$(.ci/postgres)\").");

    public static string NewSchema() => "bench_" + Guid.NewGuid().ToString("N")[..12];

    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        command.ExecuteNonQuery();
    }
}
