using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload.Internal;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// Reads the IN-set, the runtime-mutable config: <c>&lt;root&gt;/mcp.yaml</c>, <c>&lt;root&gt;/cron.yaml</c>,
/// <c>&lt;root&gt;/hooks.yaml</c> and, for every directory under <c>&lt;root&gt;/agents/</c>, its <c>profile.yaml</c>
/// and <c>hooks.yaml</c>. The root is the <c>.reyn/</c> directory.
/// </summary>
/// <remarks>
/// <para>The OUT-set (<c>reyn.yaml</c>: security, permissions, budgets, loop valve) is out of reach by construction:
/// every path this class reads is one of the fixed names above joined to the root, agent names come from directory
/// listing and may not contain path separators, and every read goes through <see cref="IInSetFileReader"/>.</para>
/// <para>A missing directory or file is <c>{}</c> for its component. Problems are returned in
/// <see cref="InSetSnapshot.Errors"/> (file and line each); <see cref="Load"/> never throws for bad content or I/O.</para>
/// </remarks>
public sealed class InSetLoader
{
    /// <summary>The tool-server file name.</summary>
    public const string McpFileName = "mcp.yaml";

    /// <summary>The runtime cron-jobs file name.</summary>
    public const string CronFileName = "cron.yaml";

    /// <summary>The runtime hooks file name (also the only file <c>hooks_add</c> writes).</summary>
    public const string HooksFileName = "hooks.yaml";

    /// <summary>The per-agent directory name.</summary>
    public const string AgentsDirectoryName = "agents";

    /// <summary>The per-agent capability profile file name.</summary>
    public const string ProfileFileName = "profile.yaml";

    private readonly IInSetFileReader _reader;
    private readonly string _displayPrefix;

    /// <summary>Creates a loader for <paramref name="rootDirectory"/> (the <c>.reyn/</c> directory).</summary>
    /// <param name="rootDirectory">The <c>.reyn/</c> directory; it does not need to exist.</param>
    /// <param name="reader">How files are read; <see cref="PhysicalInSetFileReader"/> by default.</param>
    public InSetLoader(string rootDirectory, IInSetFileReader? reader = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        _reader = reader ?? new PhysicalInSetFileReader(RootDirectory);
        _displayPrefix = Path.GetFileName(Path.TrimEndingDirectorySeparator(RootDirectory));
    }

    /// <summary>The <c>.reyn/</c> directory (full path).</summary>
    public string RootDirectory { get; }

    /// <summary>The full path of <c>&lt;root&gt;/hooks.yaml</c>.</summary>
    public string HooksFilePath => Path.Combine(RootDirectory, HooksFileName);

    /// <summary>Reads and validates the whole IN-set once.</summary>
    public InSetSnapshot Load()
    {
        var errors = new List<ConfigError>();
        var mcp = ReadComponent(McpFileName, errors, static (text, file, errs) => InSetParsers.ParseMcp(text, file, errs)) ?? McpConfig.Empty;
        var cron = ReadComponent(CronFileName, errors, static (text, file, errs) => InSetParsers.ParseCron(text, file, errs)) ?? CronConfig.Empty;
        var hooks = ReadHooks(HooksFileName, HookLayerKind.Runtime, agent: null, errors);
        var agents = ReadAgents(errors);
        return new InSetSnapshot(mcp, cron, hooks, agents, errors);
    }

    private T? ReadComponent<T>(string relative, List<ConfigError> errors, Func<string, string, List<ConfigError>, T> parse)
        where T : class
    {
        var display = Display(relative);
        var text = Read(relative, display, errors);
        return text is null ? null : parse(text, display, errors);
    }

    private HookLayer ReadHooks(string relative, HookLayerKind kind, string? agent, List<ConfigError> errors)
    {
        var display = Display(relative);
        var text = Read(relative, display, errors, out var readError);
        if (readError is not null)
        {
            // The error is already in the snapshot's list; keep it on the layer too so the registry drops the layer.
            return HookLayer.Invalid(kind, display, agent, readError);
        }

        if (text is null)
        {
            return HookLayer.Empty(kind, display, agent);
        }

        var layer = HookLayer.Parse(kind, text, display, agent);
        errors.AddRange(layer.Errors);
        return layer;
    }

    private IReadOnlyList<AgentInSet> ReadAgents(List<ConfigError> errors)
    {
        var agentsDirectory = Path.Combine(RootDirectory, AgentsDirectoryName);
        string[] names;
        try
        {
            if (!Directory.Exists(agentsDirectory))
            {
                return [];
            }

            names = Directory.GetDirectories(agentsDirectory).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ConfigError(Display(AgentsDirectoryName), 0, "cannot list agent directories: " + ex.Message));
            return [];
        }

        Array.Sort(names, StringComparer.Ordinal);
        var agents = new List<AgentInSet>(names.Length);
        foreach (var name in names)
        {
            if (!IsAgentName(name))
            {
                continue;
            }

            var profileRelative = Path.Combine(AgentsDirectoryName, name, ProfileFileName);
            var profileDisplay = Display(profileRelative);
            var profileText = Read(profileRelative, profileDisplay, errors);
            var profile = profileText is null ? null : InSetParsers.ParseProfile(name, profileText, profileDisplay, errors);
            var hooks = ReadHooks(Path.Combine(AgentsDirectoryName, name, HooksFileName), HookLayerKind.Agent, name, errors);
            agents.Add(new AgentInSet(name, profile, hooks));
        }

        return agents;
    }

    private string? Read(string relative, string display, List<ConfigError> errors) => Read(relative, display, errors, out _);

    private string? Read(string relative, string display, List<ConfigError> errors, out ConfigError? error)
    {
        error = null;
        try
        {
            return _reader.ReadText(Path.Combine(RootDirectory, relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            error = new ConfigError(display, 0, "cannot read the file: " + ex.Message);
            errors.Add(error);
            return null;
        }
    }

    private static bool IsAgentName(string name) =>
        name.Length > 0
        && name[0] != '.'
        && name.IndexOfAny(['/', '\\']) < 0;

    private string Display(string relative) => Path.Combine(_displayPrefix, relative).Replace('\\', '/');
}
