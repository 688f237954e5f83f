using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.ActivityStore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SQLite activity store.</summary>
public static class ActivityStoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ActivitySink"/> as an <see cref="IEventSink"/> (picked up by <c>AddReynEvents</c>) and
    /// <see cref="SqliteActivityStore"/> as the <see cref="IActivityStore"/>, both over
    /// <see cref="ActivityStoreOptions.Path"/> (default <c>&lt;root&gt;/events.db</c>). Options are validated at start.
    /// </summary>
    public static IServiceCollection AddReynActivityStore(this IServiceCollection services, Action<ActivityStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ActivityStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<ActivityStoreOptions>, ActivityStoreOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ActivitySink(
            ResolvePath(sp),
            sp.GetRequiredService<IOptions<ActivityStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ActivitySink>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, ActivitySink>(sp => sp.GetRequiredService<ActivitySink>()));
        services.TryAddSingleton<IActivityStore>(sp => new SqliteActivityStore(
            ResolvePath(sp),
            sp.GetRequiredService<IOptions<ActivityStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static string ResolvePath(IServiceProvider sp)
    {
        var configured = sp.GetRequiredService<IOptions<ActivityStoreOptions>>().Value.Path;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var root = sp.GetService<IOptions<ReynEventsOptions>>()?.Value.RootDirectory ?? ".reyn";
        return Path.Combine(root, "events.db");
    }

    private sealed class ActivityStoreOptionsValidator : IValidateOptions<ActivityStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, ActivityStoreOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
