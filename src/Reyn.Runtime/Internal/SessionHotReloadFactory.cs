using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;
using Reyn.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Internal;

/// <summary>Builds the host's <see cref="SessionHotReload"/> from <see cref="ReynOptions"/> (used by <c>AddReyn</c>).</summary>
internal static class SessionHotReloadFactory
{
    public static SessionHotReload Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ReynOptions>>().Value;
        var scheduler = services.GetService<CronScheduler>();
        return SessionHotReload.Create(
            new SessionHotReloadOptions
            {
                RootDirectory = Path.GetFullPath(options.RootDirectory),
                StartupHooks = LoadStartupHooks(options.ConfigFile),
                CronJobs = scheduler is null ? null : new CronSchedulerJobTable(scheduler),
                ToolServers = services.GetService<IToolServerCatalog>(),
                CapabilityHolders = services.GetService<CapabilityHolderRegistry>(),
                Hooks = new HookDispatcherOptions { MaxHookDrivenTurns = options.MaxHookDrivenTurns },
            },
            services.GetRequiredService<EventLog>(),
            services.GetService<ILoggerFactory>());
    }

    /// <summary>The <c>hooks:</c> section of reyn.yaml (the trusted startup layer; invalid = fail loudly at boot).</summary>
    private static HookLayer? LoadStartupHooks(string? configFile)
    {
        if (configFile is null || !File.Exists(configFile))
        {
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(File.ReadAllText(configFile)));
        }
        catch (YamlException ex)
        {
            throw new ReynConfigException($"{configFile}:{ex.Start.Line}: the file is not valid YAML ({ex.Message}).", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("hooks"), out var hooks))
        {
            return null;
        }

        return HookLayer.FromYaml(HookLayerKind.Startup, hooks, configFile).ThrowIfInvalid();
    }
}
