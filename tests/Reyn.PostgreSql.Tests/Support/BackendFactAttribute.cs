using Xunit.Abstractions;
using Xunit.Sdk;

namespace Reyn.PostgreSql.Tests.Support;

/// <summary>
/// A contract fact: runs for every derived test class, and is skipped with a reason for classes marked
/// <see cref="IRequiresPostgres"/> when the PostgreSQL test server is unavailable (never silently passed).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("Reyn.PostgreSql.Tests.Support.BackendFactDiscoverer", "Reyn.PostgreSql.Tests")]
public class BackendFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="BackendFactAttribute"/> tests, skipping PostgreSQL classes without a server.</summary>
public sealed class BackendFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var type = (testMethod.TestClass.Class as IReflectionTypeInfo)?.Type;
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (type is not null && typeof(IRequiresPostgres).IsAssignableFrom(type) && PostgresServer.SkipReason is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, reason)];
        }

        return [new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)];
    }
}
