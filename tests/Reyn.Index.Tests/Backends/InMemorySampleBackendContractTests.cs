using Reyn.Samples.CustomIndexBackend;

namespace Reyn.Index.Tests.Backends;

/// <summary>The sample's custom backend passes the same contract as the default one.</summary>
public sealed class InMemorySampleBackendContractTests : IndexBackendContractTests
{
    protected override IIndexBackend CreateBackend(string indexDirectory) => new InMemoryIndexBackend();
}
