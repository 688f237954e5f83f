using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.State;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reyn.State in a service collection.</summary>
public static class ReynStateServiceCollectionExtensions
{
    /// <summary>
    /// Adds the file WAL (<see cref="FileStateLog"/>, also as <see cref="IStateLog"/>), the snapshot store
    /// (<see cref="FileSnapshotStore"/>, also as <see cref="ISnapshotStore"/>) and <see cref="StatePaths"/>. Options
    /// (root directory, durability mode, batch interval, extra kinds) are validated when the host starts; the log is
    /// opened (and recovered) on first use.
    /// </summary>
    public static IServiceCollection AddReynState(this IServiceCollection services, Action<ReynStateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ReynStateOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReynStateOptions>, ReynStateOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StatePaths(sp.GetRequiredService<IOptions<ReynStateOptions>>().Value.RootDirectory));
        services.TryAddSingleton(sp => FileStateLog.Open(
            sp.GetRequiredService<IOptions<ReynStateOptions>>().Value.ToLogOptions(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<FileStateLog>>()));
        services.TryAddSingleton<IStateLog>(sp => sp.GetRequiredService<FileStateLog>());
        services.TryAddSingleton(sp => new FileSnapshotStore(
            sp.GetRequiredService<StatePaths>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<FileSnapshotStore>>()));
        services.TryAddSingleton<ISnapshotStore>(sp => sp.GetRequiredService<FileSnapshotStore>());
        return services;
    }

    private sealed class ReynStateOptionsValidator : IValidateOptions<ReynStateOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReynStateOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
