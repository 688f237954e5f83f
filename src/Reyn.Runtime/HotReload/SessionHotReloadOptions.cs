using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.HotReload;

/// <summary>What a session needs to wire hot reload and hooks (see <see cref="SessionHotReload.Create"/>).</summary>
public sealed class SessionHotReloadOptions
{
    /// <summary>The <c>.reyn/</c> directory. Required.</summary>
    public string RootDirectory { get; set; } = string.Empty;

    /// <summary>The startup hook layer from <c>reyn.yaml</c> (trusted; must be valid). <see langword="null"/>: none.</summary>
    public HookLayer? StartupHooks { get; set; }

    /// <summary>
    /// The live cron jobs (usually <c>new CronSchedulerJobTable(scheduler)</c>, with the startup jobs and the boot
    /// IN-set's runtime jobs already added); when <see langword="null"/> the <c>cron</c> seam changes nothing.
    /// </summary>
    public ICronJobTable? CronJobs { get; set; }

    /// <summary>The host's tool servers; when <see langword="null"/> the <c>mcp</c> seam changes nothing.</summary>
    public IToolServerCatalog? ToolServers { get; set; }

    /// <summary>The holders updated by <c>per_agent_capability</c>; a new registry when <see langword="null"/>.</summary>
    public CapabilityHolderRegistry? CapabilityHolders { get; set; }

    /// <summary>The wake-loop valve and other dispatcher options.</summary>
    public HookDispatcherOptions Hooks { get; set; } = new();
}
