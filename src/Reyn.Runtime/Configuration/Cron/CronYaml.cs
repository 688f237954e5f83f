using System.Globalization;
using Reyn.Scheduling;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Configuration.Cron;

/// <summary>
/// Reads the <c>cron: jobs:</c> section of <c>reyn.yaml</c> (startup jobs) or <c>.reyn/cron.yaml</c> (runtime jobs,
/// which override startup jobs by name; see <see cref="CronJobState.Effective"/>).
/// </summary>
/// <remarks>
/// <code>
/// cron:
///   jobs:
///     - name: weekly_ops_report   # required, unique in the file
///       skill: ops_report         # required
///       schedule: "0 9 * * MON"   # required; 5 fields, or 6 with seconds first
///       input: { since_days: 7 }  # optional mapping (default empty)
///       enabled: true             # optional (default true)
///       time_zone: Europe/Berlin  # optional IANA id (default UTC)
///       misfire: skip             # optional: skip (default) or run_once
/// </code>
/// <c>.reyn/cron.yaml</c> holds nothing but the <c>cron:</c> section. A structural problem (a missing or mistyped key,
/// a duplicate name, bad YAML, another top-level key in <c>.reyn/cron.yaml</c>) throws
/// <see cref="CronConfigException"/> naming the file, line and key. A job whose schedule or time zone cannot be used
/// is kept, disabled, with <see cref="CronJob.DisabledReason"/> saying why, so <c>reyn cron list</c> shows it.
/// </remarks>
public static class CronYaml
{
    private static readonly string[] JobKeys = ["name", "skill", "schedule", "input", "enabled", "time_zone", "misfire"];

    /// <summary>Reads the jobs of the file at <paramref name="path"/>; a missing file has no jobs.</summary>
    /// <exception cref="CronConfigException">The <c>cron:</c> section is malformed.</exception>
    public static IReadOnlyList<CronJob> Load(string path, CronJobOrigin origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path, origin) : [];
    }

    /// <summary>Reads the jobs of YAML text; <paramref name="filePath"/> is only used in error messages.</summary>
    /// <exception cref="CronConfigException">The <c>cron:</c> section is malformed.</exception>
    public static IReadOnlyList<CronJob> Parse(string yaml, string filePath, CronJobOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new CronConfigException(filePath, (int)ex.Start.Line, null, $"the file is not valid YAML ({ex.Message}); fix the syntax at that line.", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" } or YamlScalarNode { Tag.Value: "tag:yaml.org,2002:null" })
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw Error(filePath, stream.Documents[0].RootNode, null, "the top level must be a mapping of sections (for example 'cron:').");
        }

        if (origin == CronJobOrigin.Runtime)
        {
            RejectOtherSections(filePath, root);
        }

        if (!TryGet(root, "cron", out var cron) || IsNull(cron))
        {
            return [];
        }

        if (cron is not YamlMappingNode cronMap)
        {
            throw Error(filePath, cron, "cron", "must be a mapping with a 'jobs:' list.");
        }

        if (!TryGet(cronMap, "jobs", out var jobsNode) || IsNull(jobsNode))
        {
            return [];
        }

        if (jobsNode is not YamlSequenceNode jobs)
        {
            throw Error(filePath, jobsNode, "cron.jobs", "must be a list of jobs (each item starting with '- name: ...').");
        }

        var result = new List<CronJob>(jobs.Children.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Children.Count; i++)
        {
            var key = $"cron.jobs[{i}]";
            if (jobs.Children[i] is not YamlMappingNode entry)
            {
                throw Error(filePath, jobs.Children[i], key, "must be a mapping with name, skill and schedule.");
            }

            var job = ReadJob(filePath, key, entry, origin);
            if (names.TryGetValue(job.Name, out var firstLine))
            {
                throw Error(filePath, entry, key + ".name", $"'{job.Name}' is already used by the job at line {firstLine}; job names must be unique in a file.");
            }

            names[job.Name] = Line(entry);
            result.Add(job);
        }

        return result;
    }

    private static CronJob ReadJob(string file, string key, YamlMappingNode entry, CronJobOrigin origin)
    {
        foreach (var child in entry.Children)
        {
            var name = (child.Key as YamlScalarNode)?.Value;
            if (name is null || Array.IndexOf(JobKeys, name) < 0)
            {
                throw Error(file, child.Key, $"{key}.{name}", $"unknown key '{name}'; a job has {string.Join(", ", JobKeys)}.");
            }
        }

        var jobName = RequiredString(file, key, entry, "name", "the job's unique name, for example 'index_events_hourly'");
        var skill = RequiredString(file, key, entry, "skill", "the skill to run, for example 'index_events'");
        var schedule = RequiredString(file, key, entry, "schedule", "a cron expression, for example \"0 */6 * * *\"");
        var enabled = true;
        if (TryGet(entry, "enabled", out var enabledNode) && !IsNull(enabledNode))
        {
            enabled = (enabledNode as YamlScalarNode)?.Value?.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(file, enabledNode, key + ".enabled", "must be true or false."),
            };
        }

        var misfire = MisfirePolicy.Skip;
        if (TryGet(entry, "misfire", out var misfireNode) && !IsNull(misfireNode))
        {
            misfire = (misfireNode as YamlScalarNode)?.Value?.ToLowerInvariant() switch
            {
                "skip" => MisfirePolicy.Skip,
                "run_once" => MisfirePolicy.RunOnce,
                _ => throw Error(file, misfireNode, key + ".misfire", "must be 'skip' (the default) or 'run_once'."),
            };
        }

        IReadOnlyDictionary<string, object?> input = new Dictionary<string, object?>(0);
        if (TryGet(entry, "input", out var inputNode) && !IsNull(inputNode))
        {
            if (inputNode is not YamlMappingNode inputMap)
            {
                throw Error(file, inputNode, key + ".input", "must be a mapping of the skill's input fields (for example 'input: { since_days: 7 }').");
            }

            input = ReadMapping(inputMap);
        }

        string? disabledReason = null;
        var zone = TimeZoneInfo.Utc;
        if (TryGet(entry, "time_zone", out var zoneNode) && !IsNull(zoneNode))
        {
            var zoneId = (zoneNode as YamlScalarNode)?.Value;
            if (string.IsNullOrWhiteSpace(zoneId) || !TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found))
            {
                disabledReason = $"unknown time zone '{zoneId}' ({file}:{Line(zoneNode)}); use an IANA id such as 'Europe/Berlin' or 'America/New_York'.";
            }
            else
            {
                zone = found;
            }
        }

        if (disabledReason is null && !CronSchedule.TryParse(schedule, out _, out var scheduleError))
        {
            disabledReason = $"invalid schedule ({file}:{Line(entry.Children[new YamlScalarNode("schedule")])}): {scheduleError}";
        }

        return new CronJob
        {
            Name = jobName,
            Skill = skill,
            Schedule = schedule,
            Input = input,
            Enabled = enabled && disabledReason is null,
            TimeZone = zone,
            Misfire = misfire,
            Origin = origin,
            DisabledReason = disabledReason,
        };
    }

    private static string RequiredString(string file, string key, YamlMappingNode entry, string name, string hint)
    {
        if (!TryGet(entry, name, out var node) || IsNull(node))
        {
            throw Error(file, entry, $"{key}.{name}", $"is missing; set it to {hint}.");
        }

        if (node is not YamlScalarNode { Value: { } value } || string.IsNullOrWhiteSpace(value))
        {
            throw Error(file, node, $"{key}.{name}", $"must be a non-empty string: {hint}.");
        }

        return value.Trim();
    }

    private static Dictionary<string, object?> ReadMapping(YamlMappingNode map)
    {
        var result = new Dictionary<string, object?>(map.Children.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            result[((YamlScalarNode)key).Value ?? string.Empty] = ReadValue(value);
        }

        return result;
    }

    private static object? ReadValue(YamlNode node) => node switch
    {
        YamlMappingNode map => ReadMapping(map),
        YamlSequenceNode sequence => sequence.Children.Select(ReadValue).ToList(),
        YamlScalarNode scalar => ReadScalar(scalar),
        _ => null,
    };

    private static object? ReadScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return text;
        }

        if (text is null or "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return text;
    }

    private static bool TryGet(YamlMappingNode map, string key, out YamlNode value) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out value!);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private static int Line(YamlNode node) => (int)node.Start.Line;

    /// <summary>
    /// <c>.reyn/cron.yaml</c> holds only the <c>cron:</c> section: anything else is a mistake that would otherwise leave
    /// the jobs silently unscheduled (most often a top-level <c>jobs:</c> list).
    /// </summary>
    private static void RejectOtherSections(string filePath, YamlMappingNode root)
    {
        foreach (var (keyNode, _) in root.Children)
        {
            if (keyNode is YamlScalarNode { Value: { } name } && name != "cron")
            {
                throw Error(filePath, keyNode, name, name == "jobs"
                    ? "belongs under 'cron:'. This file holds only the 'cron:' section, as in reyn.yaml: write 'cron:' and indent 'jobs:' below it."
                    : "is not a section of this file, which holds only 'cron:' (with its 'jobs:' list).");
            }
        }
    }

    private static CronConfigException Error(string file, YamlNode node, string? key, string problem) =>
        new(file, Line(node), key, problem);
}
