using Npgsql;

namespace Reyn.PostgreSql.Tests.Support;

/// <summary>
/// The test server: the connection string comes from <c>REYN_TEST_POSTGRES</c> (<c>.ci/run</c> sets it after
/// starting a loopback server with <c>.ci/postgres</c>). <see cref="SkipReason"/> says why tests cannot run.
/// </summary>
internal static class PostgresServer
{
    public const string EnvironmentVariable = "REYN_TEST_POSTGRES";

    private static readonly Lazy<string?> Probe = new(ProbeServer);

    /// <summary>The connection string, or null when unset.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : null;

    /// <summary>Null when the server is reachable; otherwise why the PostgreSQL tests are skipped.</summary>
    public static string? SkipReason => Probe.Value;

    /// <summary>A fresh schema name for one test (tables of different tests never meet).</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Drops a test schema and everything in it.</summary>
    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        command.ExecuteNonQuery();
    }

    private static string? ProbeServer()
    {
        var cs = ConnectionString;
        if (cs is null)
        {
            return $"PostgreSQL tests need a server: set {EnvironmentVariable} to an Npgsql connection string " +
                   "(.ci/postgres installs and starts one on loopback and prints it).";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(cs) { Timeout = 5 };
            using var connection = new NpgsqlConnection(builder.ConnectionString);
            connection.Open();
            return null;
        }
        catch (Exception ex)
        {
            return $"PostgreSQL server from {EnvironmentVariable} is unreachable ({ex.Message}); start it with .ci/postgres.";
        }
    }
}
