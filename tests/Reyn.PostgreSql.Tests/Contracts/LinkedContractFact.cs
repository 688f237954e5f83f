namespace Reyn.Index.Tests.Backends
{
    /// <summary>
    /// The linked <c>IndexBackendContractTests.cs</c> of Reyn.Index.Tests marks its tests <c>[Fact]</c>; compiled in this
    /// assembly, inside its namespace, that name resolves to this attribute (enclosing-namespace types win over
    /// <c>using Xunit</c>), so the unchanged contract is skipped with a reason when PostgreSQL is unavailable.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class FactAttribute : Reyn.PostgreSql.Tests.Support.BackendFactAttribute;
}
