using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Microsoft.Extensions.Logging;
using Reyn.Index;
using Reyn.Runtime;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Internal;
using Reyn.Scheduling;
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
    /// Composes every package, each still usable alone: <c>AddReynEvents</c> (JSONL audit log), <c>AddReynActivityStore</c>
    /// (the same events in <c>&lt;root&gt;/events.db</c>; <see cref="ReynCompositionOptions.ActivityStore"/>),
    /// <c>AddReynState</c> (WAL with <see cref="ReynOptions.WalDurability"/>), <c>AddReynIndex</c> (with the
    /// <c>recall</c> op and the <c>index_events</c>/<c>ops_report</c> skills) and <c>AddReynScheduling</c> (jobs from
    /// reyn.yaml <c>cron.jobs</c> and <c>&lt;root&gt;/cron.yaml</c>, run by <see cref="RuntimeJobRunner"/>). Sessions get hot
    /// reload and hooks (<see cref="ReynOptions.HotReload"/>) and the <c>hooks_add</c> op. Register an <c>IChatClient</c> for
    /// model calls. The root directory, WAL durability and package toggles come from <see cref="ReynOptions"/>.
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
            .Validate(o => o.MaxHookDrivenTurns >= 0, "ReynOptions.MaxHookDrivenTurns (safety.loop.max_hook_driven_turns) must be 0 or more (0 disables hook-driven turns).")
            .Validate(o => o.Shell.Timeout > TimeSpan.Zero && o.Shell.MaxOutputChars > 0, "ReynOptions.Shell limits must be positive.")
            .ValidateOnStart();

        var probe = new ReynOptions();
        configure?.Invoke(probe);

        services.AddReynEvents();
        services.AddOptions<ReynEventsOptions>().Configure<IOptions<ReynOptions>>((events, reyn) =>
        {
            events.RootDirectory = reyn.Value.RootDirectory;
            events.Agent = reyn.Value.Agent;
        });

        // The activity store gets the same events as the JSONL files (<root>/events.db).
        if (probe.Packages.ActivityStore)
        {
            services.AddReynActivityStore();
        }

        // The WAL and snapshots under <root>/state; durability from ReynOptions.WalDurability (null: no durable steps).
        services.AddReynState();
        services.AddOptions<ReynStateOptions>().Configure<IOptions<ReynOptions>>((state, reyn) =>
        {
            state.RootDirectory = reyn.Value.RootDirectory;
            state.Durability = reyn.Value.WalDurability ?? DurabilityMode.None;
        });

        services.AddReynIndex();
        services.AddOptions<ReynIndexOptions>().Configure<IOptions<ReynOptions>>((index, reyn) => index.RootDirectory = reyn.Value.RootDirectory);

        // Scheduled skills run through the runtime with the same permissions as a direct run. Registered before
        // AddReynScheduling so its "no runner" fallback is not used.
        services.TryAddSingleton<IJobRunner>(sp => new RuntimeJobRunner(sp));
        services.AddReynScheduling();
        services.AddOptions<ReynSchedulingOptions>().Configure<IOptions<ReynOptions>>((cron, reyn) =>
        {
            cron.RootDirectory = reyn.Value.RootDirectory;
            cron.PersistStatus = reyn.Value.Packages.PersistCronStatus;
            foreach (var job in StartupCronJobs.Load(reyn.Value))
            {
                cron.Jobs.Add(job);
            }
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

        // Hot reload and hooks: one SessionHotReload per host, used by every session; hooks_add writes .reyn/hooks.yaml.
        if (probe.HotReload)
        {
            services.TryAddSingleton(sp => SessionHotReloadFactory.Create(sp));
        }

        AddBuiltInSkill(services, BuiltInSkills.IndexEvents, BuiltInSkills.CreateIndexEvents);
        AddBuiltInSkill(services, BuiltInSkills.OpsReport, BuiltInSkills.CreateOpsReport);
        // recall and hooks_add come first so that an op of the same kind registered by the host replaces them.
        services.TryAddSingleton(sp => new OpRegistry(DefaultOps(sp).Concat(sp.GetServices<IOp>())));
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

    private static IEnumerable<IOp> DefaultOps(IServiceProvider sp)
    {
        if (sp.GetService<Recall>() is { } recall)
        {
            yield return new RecallOp(recall);
        }

        if (sp.GetService<SessionHotReload>() is { } hotReload)
        {
            yield return new HooksAddOp(hotReload.HooksAdd);
        }
    }

    private static void AddBuiltInSkill(IServiceCollection services, string name, Func<SkillDefinition> create)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(SkillDefinition) && descriptor.ImplementationInstance is SkillDefinition existing && existing.Name == name)
            {
                return; // AddReyn called twice, or the host registered its own skill of that name.
            }
        }

        services.AddSingleton(create());
    }

    private static class SharedHttp
    {
        public static readonly HttpClient Client = new() { Timeout = Timeout.InfiniteTimeSpan };
    }
}
