namespace Reyn.Index.Tests.Backends;

public sealed class SqliteIndexBackendContractTests : IndexBackendContractTests
{
    protected override IIndexBackend CreateBackend(string indexDirectory) => new SqliteIndexBackend(indexDirectory);
}
