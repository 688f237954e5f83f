using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Index;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Reyn.Index in a service collection.</summary>
public static class ReynIndexServiceCollectionExtensions
{
    /// <summary>
    /// Adds the index: <see cref="IIndexBackend"/> (default <see cref="SqliteIndexBackend"/> under
    /// <c>&lt;root&gt;/index</c>), <see cref="EventIndexer"/>, <see cref="Recall"/>, <see cref="OpsReporter"/> and
    /// <see cref="EvalComparer"/>. An <c>IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt;</c> and an
    /// <see cref="EventLog"/> are used when registered. Options are validated when the host starts.
    /// </summary>
    public static IReynIndexBuilder AddReynIndex(this IServiceCollection services, Action<ReynIndexOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ReynIndexOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), "ReynIndexOptions.RootDirectory must name the .reyn/ directory (for example \".reyn\").")
            .Validate(o => SourceName.IsValid(o.EventsSource), "ReynIndexOptions.EventsSource must be 1-64 letters, digits, '_' or '-' (for example \"events\").")
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "ReynIndexOptions.BatchSize must be between 1 and 10000 (default 256).")
            .Validate(o => o.RrfK >= 1, "ReynIndexOptions.RrfK must be at least 1 (default 60).")
            .Validate(o => o.InMemoryBm25MaxChunks >= 0, "ReynIndexOptions.InMemoryBm25MaxChunks must be 0 or more (default 1000000).")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIndexBackend>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReynIndexOptions>>().Value;
            return new SqliteIndexBackend(o.IndexDirectory, sp.GetRequiredService<TimeProvider>())
            {
                RrfK = o.RrfK,
                InMemoryBm25 = o.InMemoryBm25,
                InMemoryBm25MaxChunks = o.InMemoryBm25MaxChunks,
            };
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReynIndexOptions>>().Value;
            return new EventIndexer(
                sp.GetRequiredService<IIndexBackend>(), o.RootDirectory,
                sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(), sp.GetService<EventLog>(), o.EventsSource)
            { BatchSize = o.BatchSize };
        });
        services.TryAddSingleton(sp => new Recall(
            sp.GetRequiredService<IIndexBackend>(), sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(), sp.GetService<EventLog>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReynIndexOptions>>().Value;
            return new OpsReporter(sp.GetRequiredService<IIndexBackend>(), o.RootDirectory, sp.GetRequiredService<TimeProvider>(), o.EventsSource);
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ReynIndexOptions>>().Value;
            return new EvalComparer(sp.GetRequiredService<IIndexBackend>(), o.RootDirectory, o.EventsSource);
        });
        return new ReynIndexBuilder(services);
    }

    /// <summary>Replaces the index backend with <typeparamref name="TBackend"/> (a singleton built by the container).</summary>
    public static IReynIndexBuilder UseBackend<TBackend>(this IReynIndexBuilder builder)
        where TBackend : class, IIndexBackend
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IIndexBackend, TBackend>());
        return builder;
    }

    /// <summary>Replaces the index backend with one built by <paramref name="factory"/>.</summary>
    public static IReynIndexBuilder UseBackend(this IReynIndexBuilder builder, Func<IServiceProvider, IIndexBackend> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        return builder;
    }

    private sealed class ReynIndexBuilder(IServiceCollection services) : IReynIndexBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
