using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Microsoft.Extensions.Logging;
using Reyn.Runtime;
using Reyn.State;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Reyn runtime (and the packages it composes) in a service collection.</summary>
public static class ReynServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ReynRuntime"/>, the op registry with the built-in ops, the skill registry and the event
    /// pipeline. Configure from code, from <c>reyn.yaml</c> (<paramref name="configFile"/> or
    /// <see cref="ReynOptions.ConfigFile"/>), or both: reyn.yaml is applied first, then code, so code wins.
    /// The agent's capability profile (<c>&lt;root&gt;/agents/&lt;agent&gt;/profile.yaml</c>) is applied last and can only narrow.
    /// Register an <c>IChatClient</c> for model calls and an <c>IStateLog</c> (<c>AddReynState</c>) for durable steps.
    /// </summary>
    public static IServiceCollection AddReyn(this IServiceCollection services, Action<ReynOptions>? configure = null, string? configFile = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ReynOptions>()
            .Configure(options =>
            {
                var file = configFile;
                if (file is null && configure is not null)
                {
                    var probe = new ReynOptions();
                    configure(probe);
                    file = probe.ConfigFile;
                }

                if (file is not null)
                {
                    options.ConfigFile = file;
                    ReynYaml.ApplyFile(file, options);
                }

                configure?.Invoke(options);
                ReynYaml.ApplyProfile(options);
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), "ReynOptions.RootDirectory must name a directory (for example \".reyn\").")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Agent) && o.Agent.IndexOfAny(['/', '\\', ' ']) < 0, "ReynOptions.Agent must be a name without '/', '\\' or spaces (for example \"main\").")
            .Validate(o => o.Loop.MaxVisits >= 1, "ReynOptions.Loop.MaxVisits (loop.max_visits) must be at least 1.")
            .Validate(o => o.Budget.MaxLlmCallsPerPhase >= 1, "ReynOptions.Budget.MaxLlmCallsPerPhase (budget.max_llm_calls_per_phase) must be at least 1.")
            .Validate(o => o.Budget.PhaseTimeout is null || o.Budget.PhaseTimeout > TimeSpan.Zero, "ReynOptions.Budget.PhaseTimeout must be positive.")
            .Validate(o => SkillResumeOptions.Policies.Contains(o.SkillResume.Default), "ReynOptions.SkillResume.Default must be one of retry, skip, discard_skill, prompt.")
            .Validate(o => o.Shell.Timeout > TimeSpan.Zero && o.Shell.MaxOutputChars > 0, "ReynOptions.Shell limits must be positive.")
            .ValidateOnStart();

        services.AddReynEvents();
        services.AddOptions<ReynEventsOptions>().Configure<IOptions<ReynOptions>>((events, reyn) =>
        {
            events.RootDirectory = reyn.Value.RootDirectory;
            events.Agent = reyn.Value.Agent;
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, ReadFileOp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, WriteFileOp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, EditFileOp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, GrepOp>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, ShellOp>(sp => new ShellOp(sp.GetRequiredService<IOptions<ReynOptions>>().Value.Shell)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, WebFetchOp>(sp => new WebFetchOp(
            sp.GetService<HttpClient>() ?? SharedHttp.Client,
            sp.GetRequiredService<IOptions<ReynOptions>>().Value.WebFetch)));
        services.TryAddSingleton<IStateLog>(sp =>
        {
            var reyn = sp.GetRequiredService<IOptions<ReynOptions>>().Value;
            return FileStateLog.Open(
                new FileStateLogOptions
                {
                    Path = Path.Combine(Path.GetFullPath(reyn.RootDirectory), "state", "wal.jsonl"),
                    Durability = reyn.WalDurability ?? DurabilityMode.None,
                },
                sp.GetService<TimeProvider>(),
                sp.GetService<ILogger<FileStateLog>>());
        });
        services.TryAddSingleton(sp => new OpRegistry(sp.GetServices<IOp>()));
        services.TryAddSingleton(sp => new SkillRegistry(sp.GetServices<SkillDefinition>()));
        services.TryAddSingleton<ReynRuntime>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ReynRestoreHostedService>()); // crash resume at host start (RestoreOptions.NoRestore disables)
        return services;
    }

    /// <summary>Registers a custom op: one class implementing <see cref="IOp"/>, one line.</summary>
    public static IServiceCollection AddReynOp<TOp>(this IServiceCollection services)
        where TOp : class, IOp
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOp, TOp>());
        return services;
    }

    /// <summary>Registers a skill so that it can be started by name (and by chat turns).</summary>
    public static IServiceCollection AddReynSkill(this IServiceCollection services, SkillDefinition skill)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(skill);
        services.AddSingleton(skill);
        return services;
    }

    private static class SharedHttp
    {
        public static readonly HttpClient Client = new() { Timeout = Timeout.InfiniteTimeSpan };
    }
}
