using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload.Internal;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// The hot-reload and hook machinery of one session, wired the standard way: the boot IN-set is read once (a file with
/// a problem leaves its component empty and emits <c>config_reload_rejected</c> with source <c>boot</c>), the hook
/// registry is built from it (a bad startup layer throws, a bad untrusted layer is dropped with a warning), and the
/// five seams are registered in order: <c>cron</c>, <c>mcp</c>, <c>per_agent_capability</c>, <c>new_agent</c>,
/// <c>hooks</c>.
/// </summary>
/// <remarks>
/// The session calls <see cref="HookDispatcher.BeginTurn"/> and takes <see cref="HotReloader.Current"/> when a turn
/// starts, dispatches hooks at lifecycle points, and after <c>turn_completed</c> (and the <c>turn_end</c> hooks) calls
/// <see cref="HotReloader.ApplyPendingAsync"/>. Operator <c>/reload</c> maps to
/// <c>Reloader.RequestReload(ReloadSources.Operator)</c>; <see cref="HooksAdd"/> backs the <c>hooks_add</c> op.
/// </remarks>
public sealed class SessionHotReload
{
    private SessionHotReload(InSetLoader loader, InSetSnapshot boot, HookDispatcher dispatcher, HotReloader reloader,
        CapabilityHolderRegistry holders, HooksAddOperation hooksAdd)
    {
        Loader = loader;
        Boot = boot;
        Dispatcher = dispatcher;
        Reloader = reloader;
        CapabilityHolders = holders;
        HooksAdd = hooksAdd;
    }

    /// <summary>Reads the IN-set.</summary>
    public InSetLoader Loader { get; }

    /// <summary>The IN-set read at boot (its cron jobs are the runtime jobs the cron table is expected to run).</summary>
    public InSetSnapshot Boot { get; }

    /// <summary>Fires hooks and enforces the wake-loop valve.</summary>
    public HookDispatcher Dispatcher { get; }

    /// <summary>Schedules and applies reloads.</summary>
    public HotReloader Reloader { get; }

    /// <summary>Register the session's capability holders here.</summary>
    public CapabilityHolderRegistry CapabilityHolders { get; }

    /// <summary>The <c>hooks_add</c> logic, bound to this root and reloader.</summary>
    public HooksAddOperation HooksAdd { get; }

    /// <summary>Wires everything.</summary>
    /// <exception cref="ConfigValidationException">The startup hook layer is invalid (fail loudly at boot).</exception>
    public static SessionHotReload Create(SessionHotReloadOptions options, EventLog events, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            throw new ArgumentException("SessionHotReloadOptions.RootDirectory must name the .reyn/ directory.", nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var loader = new InSetLoader(options.RootDirectory);
        var boot = loader.Load();
        var registryLogger = loggerFactory.CreateLogger<HookRegistry>();
        if (boot.Errors.Count > 0)
        {
            foreach (var error in boot.Errors)
            {
                registryLogger.LogWarning("IN-set problem at boot (the component is left empty): {Error}", error);
            }

            // Also in the audit log and the activity store, where a host without logging still sees it.
            events.Emit(EventTypes.ConfigReloadRejected, new EventData(4)
            {
                { "source", ReloadSources.Boot },
                { "reason", string.Join("; ", boot.Errors) },
                { "file", boot.Errors[0].File },
                { "line", boot.Errors[0].Line },
            });
        }

        var registry = HookRegistry.Build(options.StartupHooks, boot, registryLogger);
        var dispatcher = new HookDispatcher(registry, events, options.Hooks, loggerFactory.CreateLogger<HookDispatcher>());
        var holders = options.CapabilityHolders ?? new CapabilityHolderRegistry();
        IReloadSeam[] seams =
        [
            options.CronJobs is { } table ? new CronReloadSeam(table, boot) : new DisabledSeam(ReloadSeamNames.Cron),
            options.ToolServers is { } catalog ? new McpReloadSeam(catalog) : new DisabledSeam(ReloadSeamNames.Mcp),
            new PerAgentCapabilitySeam(holders),
            new NewAgentSeam(),
            new HooksReloadSeam(dispatcher, options.StartupHooks, registryLogger),
        ];
        var reloader = new HotReloader(loader, events, seams, boot, loggerFactory.CreateLogger<HotReloader>());
        return new SessionHotReload(loader, boot, dispatcher, reloader, holders, new HooksAddOperation(loader.RootDirectory, reloader));
    }
}
