using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Index;
using Reyn.PostgreSql;
using Reyn.State;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the PostgreSQL backends.</summary>
public static class ReynPostgreSqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers the PostgreSQL activity store (<see cref="IActivityStore"/> plus its <see cref="IEventSink"/>), the
    /// PostgreSQL <see cref="IIndexBackend"/> and the PostgreSQL <see cref="IStateLog"/>, all on one
    /// <see cref="NpgsqlDataSource"/> built from <paramref name="connectionString"/>. Options are validated at start.
    /// </summary>
    /// <remarks>
    /// Call it after <c>AddReynEvents()</c>/<c>AddReynIndex()</c>/<c>AddReynState()</c> or before them: the PostgreSQL
    /// registrations replace the local (SQLite, file) defaults of those three services.
    /// </remarks>
    public static IServiceCollection AddReynPostgreSql(this IServiceCollection services, string connectionString, Action<ReynPostgreSqlOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ReynPostgreSqlOptions>().Configure(o =>
        {
            o.ConnectionString = connectionString;
            configure?.Invoke(o);
        });
        options.ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<ReynPostgreSqlOptions>, OptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(Options(sp).ConnectionString!));
        services.TryAddSingleton(sp => new PostgresActivitySink(
            sp.GetRequiredService<NpgsqlDataSource>(), Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<PostgresActivitySink>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IEventSink, PostgresActivitySink>(sp => sp.GetRequiredService<PostgresActivitySink>()));
        services.Replace(ServiceDescriptor.Singleton<IActivityStore>(sp =>
            new PostgresActivityStore(sp.GetRequiredService<NpgsqlDataSource>(), Options(sp).Schema, sp.GetRequiredService<TimeProvider>())));
        services.Replace(ServiceDescriptor.Singleton<IIndexBackend>(sp => new PostgresIndexBackend(sp.GetRequiredService<NpgsqlDataSource>(), Options(sp).Schema)));
        services.Replace(ServiceDescriptor.Singleton<IStateLog>(sp =>
            PostgresStateLog.OpenAsync(sp.GetRequiredService<NpgsqlDataSource>(), Options(sp).Schema, Options(sp).ExtraWalKinds, sp.GetRequiredService<TimeProvider>())
                .GetAwaiter().GetResult()));
        return services;
    }

    private static ReynPostgreSqlOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<ReynPostgreSqlOptions>>().Value;

    private sealed class OptionsValidator : IValidateOptions<ReynPostgreSqlOptions>
    {
        public ValidateOptionsResult Validate(string? name, ReynPostgreSqlOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
