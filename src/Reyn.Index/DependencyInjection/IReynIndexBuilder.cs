using Microsoft.Extensions.DependencyInjection;

namespace Reyn.Index;

/// <summary>Returned by <c>AddReynIndex</c> to chain index configuration, e.g. <c>.UseBackend&lt;MyBackend&gt;()</c>.</summary>
public interface IReynIndexBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
