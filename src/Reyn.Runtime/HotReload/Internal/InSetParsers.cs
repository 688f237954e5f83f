using Reyn.Runtime.Configuration.Cron;
using Reyn.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.HotReload.Internal;

/// <summary>Structural validation and typing of <c>cron.yaml</c>, <c>mcp.yaml</c> and <c>profile.yaml</c>.</summary>
internal static class InSetParsers
{
    /// <summary>
    /// Parses <c>cron: {jobs: [...]}</c> with the project's cron format (<see cref="CronYaml"/>), as runtime jobs. For a
    /// reload a job that <see cref="CronYaml"/> would keep disabled (a bad expression or time zone) is an error too:
    /// validation happens before anything is applied.
    /// </summary>
    public static CronConfig ParseCron(string text, string file, List<ConfigError> errors)
    {
        IReadOnlyList<CronJob> jobs;
        try
        {
            jobs = CronYaml.Parse(text, file, CronJobOrigin.Runtime);
        }
        catch (CronConfigException ex)
        {
            var prefix = $"{ex.FilePath}:{ex.Line}: ";
            var message = ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message;
            errors.Add(new ConfigError(file, ex.Line, message));
            return CronConfig.Empty;
        }

        var before = errors.Count;
        foreach (var job in jobs)
        {
            if (job.DisabledReason is { } reason)
            {
                errors.Add(new ConfigError(file, LineOfJob(text, job.Name), $"cron job '{job.Name}': {reason}"));
            }
        }

        return errors.Count == before ? new CronConfig(jobs) : CronConfig.Empty;
    }

    private static int LineOfJob(string text, string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents[0].RootNode is YamlMappingNode root
            && YamlNodes.TryGet(root, "cron", out var cron) && cron is YamlMappingNode cronMapping
            && YamlNodes.TryGet(cronMapping, "jobs", out var jobs) && jobs is YamlSequenceNode sequence)
        {
            foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
            {
                if (YamlNodes.TryGet(entry, "name", out var nameNode) && (nameNode as YamlScalarNode)?.Value?.Trim() == name)
                {
                    if (YamlNodes.TryGet(entry, "time_zone", out var zone) && !TimeZoneInfo.TryFindSystemTimeZoneById((zone as YamlScalarNode)?.Value ?? string.Empty, out _))
                    {
                        return YamlNodes.Line(zone);
                    }

                    return YamlNodes.TryGet(entry, "schedule", out var schedule) ? YamlNodes.Line(schedule) : YamlNodes.Line(entry);
                }
            }
        }

        return 0;
    }

    /// <summary>Parses <c>mcp: {servers: {name: {command, args, url, enabled}}}</c>.</summary>
    public static McpConfig ParseMcp(string text, string file, List<ConfigError> errors)
    {
        var before = errors.Count;
        var root = YamlNodes.ParseDocument(text, file, errors);
        var mcp = errors.Count == before ? YamlNodes.ComponentValue(root, "mcp", file, errors) : null;
        if (mcp is null || errors.Count != before)
        {
            return McpConfig.Empty;
        }

        if (mcp is not YamlMappingNode mcpMapping)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(mcp), $"'mcp' must be a mapping with a 'servers' mapping, found {YamlNodes.Describe(mcp)}."));
            return McpConfig.Empty;
        }

        if (!YamlNodes.TryGet(mcpMapping, "servers", out var serversNode) || YamlNodes.IsNull(serversNode))
        {
            return McpConfig.Empty;
        }

        if (serversNode is not YamlMappingNode servers)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(serversNode), $"mcp.servers must be a mapping of server name to settings (name: {{command: ...}}), found {YamlNodes.Describe(serversNode)}."));
            return McpConfig.Empty;
        }

        var result = new List<McpServerDefinition>(servers.Children.Count);
        foreach (var (keyNode, valueNode) in servers.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value;
            var where = $"mcp.servers.{name}";
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(keyNode), "mcp.servers: every server needs a non-empty name as its key."));
                continue;
            }

            if (valueNode is not YamlMappingNode server)
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(valueNode), $"{where} must be a mapping with 'command' or 'url', found {YamlNodes.Describe(valueNode)}."));
                continue;
            }

            var serverBefore = errors.Count;
            var command = YamlNodes.OptionalString(server, "command", file, where, errors);
            var url = YamlNodes.OptionalString(server, "url", file, where, errors);
            var args = YamlNodes.OptionalStringList(server, "args", file, where, errors) ?? [];
            var enabled = YamlNodes.OptionalBool(server, "enabled", true, file, where, errors);
            if (string.IsNullOrWhiteSpace(command) == string.IsNullOrWhiteSpace(url))
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(server), $"{where}: set exactly one of 'command' (a local stdio server) or 'url' (a remote server)."));
            }

            if (errors.Count == serverBefore)
            {
                result.Add(new McpServerDefinition(name, command, args, url, enabled));
            }
        }

        return errors.Count == before ? new McpConfig(result) : McpConfig.Empty;
    }

    /// <summary>Parses an agent's <c>profile.yaml</c> (<c>allowed_tools</c>, <c>allowed_skills</c>, <c>allowed_mcp</c>, <c>tool_deny</c>; other keys are ignored).</summary>
    public static AgentProfile? ParseProfile(string agent, string text, string file, List<ConfigError> errors)
    {
        var before = errors.Count;
        var root = YamlNodes.ParseDocument(text, file, errors);
        if (errors.Count != before)
        {
            return null;
        }

        if (root is null)
        {
            return new AgentProfile(agent, null, null, null, []);
        }

        if (root is not YamlMappingNode mapping)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(root), $"a profile must be a mapping (allowed_tools: [...], tool_deny: [...]), found {YamlNodes.Describe(root)}."));
            return null;
        }

        var where = "profile";
        var tools = YamlNodes.OptionalStringList(mapping, "allowed_tools", file, where, errors);
        var skills = YamlNodes.OptionalStringList(mapping, "allowed_skills", file, where, errors);
        var mcp = YamlNodes.OptionalStringList(mapping, "allowed_mcp", file, where, errors);
        var deny = YamlNodes.OptionalStringList(mapping, "tool_deny", file, where, errors) ?? [];
        return errors.Count == before ? new AgentProfile(agent, tools, skills, mcp, deny) : null;
    }
}
