using Reyn.Index;
using Reyn.Index.Tests.Backends;
using Reyn.PostgreSql.Tests.Support;

namespace Reyn.PostgreSql.Tests.Index;

/// <summary>The shared <see cref="IndexBackendContractTests"/> of Reyn.Index.Tests, run against PostgreSQL.</summary>
public sealed class PostgresIndexBackendContractTests : IndexBackendContractTests, IRequiresPostgres, IDisposable
{
    private string? _schema;

    protected override IIndexBackend CreateBackend(string indexDirectory)
    {
        _schema = PostgresServer.NewSchema();
        return new PostgresIndexBackend(PostgresServer.ConnectionString!, _schema);
    }

    void IDisposable.Dispose()
    {
        Dispose();
        if (_schema is not null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }
}
