namespace Reyn.PostgreSql.Tests.Support;

/// <summary>
/// Marks a contract test class whose backend is PostgreSQL: its <see cref="BackendFactAttribute"/> tests are skipped
/// with a reason when the server is unavailable, while the same tests on the SQLite/file backends still run.
/// </summary>
public interface IRequiresPostgres;
