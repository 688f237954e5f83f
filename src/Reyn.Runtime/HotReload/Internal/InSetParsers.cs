using NCrontab;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.HotReload.Internal;

/// <summary>Structural validation and typing of <c>cron.yaml</c>, <c>mcp.yaml</c> and <c>profile.yaml</c>.</summary>
internal static class InSetParsers
{
    /// <summary>Parses <c>cron: {jobs: [...]}</c>.</summary>
    public static CronConfig ParseCron(string text, string file, List<ConfigError> errors)
    {
        var before = errors.Count;
        var root = YamlNodes.ParseDocument(text, file, errors);
        var cron = errors.Count == before ? YamlNodes.ComponentValue(root, "cron", file, errors) : null;
        if (cron is null || errors.Count != before)
        {
            return CronConfig.Empty;
        }

        if (cron is not YamlMappingNode cronMapping)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(cron), $"'cron' must be a mapping with a 'jobs' list, found {YamlNodes.Describe(cron)}."));
            return CronConfig.Empty;
        }

        foreach (var (keyNode, _) in cronMapping.Children)
        {
            if ((keyNode as YamlScalarNode)?.Value is not "jobs")
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(keyNode), $"cron: unknown key '{(keyNode as YamlScalarNode)?.Value}'; only 'jobs' is allowed here."));
            }
        }

        if (!YamlNodes.TryGet(cronMapping, "jobs", out var jobsNode) || YamlNodes.IsNull(jobsNode))
        {
            return CronConfig.Empty;
        }

        if (jobsNode is not YamlSequenceNode jobs)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(jobsNode), $"cron.jobs must be a list of jobs (- name: ..., schedule: ...), found {YamlNodes.Describe(jobsNode)}."));
            return CronConfig.Empty;
        }

        var result = new List<CronJobDefinition>(jobs.Children.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Children.Count; i++)
        {
            var node = jobs.Children[i];
            if (ParseJob(node, i, file, errors) is not { } job)
            {
                continue;
            }

            if (!names.Add(job.Name))
            {
                errors.Add(new ConfigError(file, YamlNodes.Line(node), $"cron.jobs[{i}] (name={job.Name}): the name is already used by an earlier job; job names must be unique."));
                continue;
            }

            result.Add(job);
        }

        return errors.Count == before ? new CronConfig(result) : CronConfig.Empty;
    }

    private static CronJobDefinition? ParseJob(YamlNode node, int index, string file, List<ConfigError> errors)
    {
        if (node is not YamlMappingNode job)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(node), $"cron.jobs[{index}] must be a mapping with 'name' and 'schedule', found {YamlNodes.Describe(node)}."));
            return null;
        }

        var before = errors.Count;
        var name = YamlNodes.OptionalString(job, "name", file, $"cron.jobs[{index}]", errors);
        var where = $"cron.jobs[{index}] (name={name ?? "?"})";
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(job), $"{where}: 'name' is required and must be a non-empty string."));
        }

        var schedule = YamlNodes.OptionalString(job, "schedule", file, where, errors);
        if (string.IsNullOrWhiteSpace(schedule))
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(job), $"{where}: 'schedule' is required (a five-field cron expression such as \"0 9 * * *\")."));
        }
        else if (CrontabSchedule.TryParse(schedule) is null)
        {
            var line = YamlNodes.TryGet(job, "schedule", out var scheduleNode) ? YamlNodes.Line(scheduleNode) : YamlNodes.Line(job);
            errors.Add(new ConfigError(file, line, $"{where}: 'schedule' \"{schedule}\" is not a valid five-field cron expression (minute hour day-of-month month day-of-week, e.g. \"*/15 * * * *\")."));
        }

        var to = YamlNodes.OptionalString(job, "to", file, where, errors);
        var message = YamlNodes.OptionalString(job, "message", file, where, errors);
        var skill = YamlNodes.OptionalString(job, "skill", file, where, errors);
        var notify = YamlNodes.OptionalString(job, "notify", file, where, errors);
        var enabled = YamlNodes.OptionalBool(job, "enabled", true, file, where, errors);
        var messageShape = !string.IsNullOrEmpty(to) && !string.IsNullOrEmpty(message);
        var skillShape = !string.IsNullOrEmpty(skill);
        if (messageShape == skillShape)
        {
            errors.Add(new ConfigError(file, YamlNodes.Line(job), messageShape
                ? $"{where}: a job has exactly one shape; it sets both 'to'+'message' and 'skill'. Keep one."
                : $"{where}: a job needs 'to' and 'message' (push a message to an agent) or 'skill' (run a skill); it has neither."));
        }

        return errors.Count == before ? new CronJobDefinition(name!, schedule!, to, message, skill, notify, enabled) : null;
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
