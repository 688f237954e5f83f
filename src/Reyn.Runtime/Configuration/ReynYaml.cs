using Reyn.Runtime.Internal;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime;

/// <summary>
/// Loads <c>reyn.yaml</c> (the OUT-set, read at start) into <see cref="ReynOptions"/>. Every error names the file,
/// the line and the dotted key. Sections:
/// <code>
/// agent: main
/// workspace: ./work
/// permissions: { tool_deny: [shell], allow_ops: [read_file, grep] }
/// budget: { max_llm_calls_per_phase: 10, max_tokens_per_phase: 50000, phase_timeout_seconds: 120 }
/// loop: { max_visits: 5 }
/// default_model: gpt-4o-mini
/// prices:
///   gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60, cached_input_per_mtok: 0.075 }
/// skill_resume: { default: retry, per_skill: { blog_publisher: discard_skill } }
/// ops: { shell: { timeout_seconds: 60, max_output_chars: 65536 }, web_fetch: { max_bytes: 1048576, timeout_seconds: 30 } }
/// safety: { loop: { max_hook_driven_turns: 5 } }   # the wake-loop valve of hooks
/// cron: ...                        # read by CronYaml (startup jobs)
/// hooks: ...                       # the startup hook layer (read by AddReyn's session hot reload)
/// </code>
/// Sections owned by other packages (<c>events</c>, <c>state</c>, <c>index</c>, <c>cron</c>, <c>security</c>,
/// <c>mcp</c>, <c>audit_events</c>, <c>retention</c>) are accepted here and left to them.
/// </summary>
public static class ReynYaml
{
    private static readonly string[] TopLevel =
        ["agent", "workspace", "permissions", "budget", "loop", "default_model", "prices", "skill_resume", "ops",
         "cron", "events", "state", "index", "security", "mcp", "audit_events", "retention", "safety", "hooks"];

    /// <summary>Reads <paramref name="path"/> and applies it to <paramref name="options"/>.</summary>
    /// <exception cref="ReynConfigException">The file is missing or invalid.</exception>
    public static void ApplyFile(string path, ReynOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ReynConfigException($"{path}: file not found. Create it or leave ReynOptions.ConfigFile unset.");
        }

        Apply(File.ReadAllText(path), path, options);
    }

    /// <summary>Applies YAML <paramref name="text"/> (named <paramref name="file"/> in errors) to <paramref name="options"/>.</summary>
    /// <exception cref="ReynConfigException">The YAML is invalid.</exception>
    public static void Apply(string text, string file, ReynOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(options);
        var r = new YamlReader(file, message => new ReynConfigException(message));
        var root = r.LoadRoot(text);
        if (root is null)
        {
            return;
        }

        foreach (var (key, value, keyNode) in r.Entries(root))
        {
            switch (key)
            {
                case "agent": options.Agent = r.RequiredString(value, key); break;
                case "workspace": options.WorkspaceDirectory = r.RequiredString(value, key); break;
                case "default_model": options.DefaultModel = r.String(value, key); break;
                case "permissions": ApplyPermissions(r, value, options); break;
                case "budget": ApplyBudget(r, value, options); break;
                case "loop":
                    foreach (var (k, v, kn) in r.Entries(r.Mapping(value, key)))
                    {
                        options.Loop.MaxVisits = k == "max_visits" ? r.Int(v, "loop.max_visits", 1) : throw r.UnknownKey(kn, "loop." + k, ["max_visits"]);
                    }

                    break;
                case "prices": ApplyPrices(r, value, options); break;
                case "skill_resume": ApplySkillResume(r, value, options); break;
                case "ops": ApplyOps(r, value, options); break;
                case "safety": ApplySafety(r, value, options); break;
                case "cron" or "events" or "state" or "index" or "security" or "mcp" or "audit_events" or "retention" or "hooks":
                    break;
                default:
                    throw r.UnknownKey(keyNode, key, TopLevel);
            }
        }
    }

    private static void ApplySafety(YamlReader r, YamlNode value, ReynOptions options)
    {
        foreach (var (k, v, kn) in r.Entries(r.Mapping(value, "safety")))
        {
            if (k != "loop")
            {
                throw r.UnknownKey(kn, "safety." + k, ["loop"]);
            }

            foreach (var (lk, lv, lkn) in r.Entries(r.Mapping(v, "safety.loop")))
            {
                options.MaxHookDrivenTurns = lk == "max_hook_driven_turns"
                    ? r.Int(lv, "safety.loop.max_hook_driven_turns", 0)
                    : throw r.UnknownKey(lkn, "safety.loop." + lk, ["max_hook_driven_turns"]);
            }
        }
    }

    /// <summary>
    /// Applies the agent's capability profile <c>&lt;root&gt;/agents/&lt;agent&gt;/profile.yaml</c> when it exists:
    /// <c>tool_deny</c> adds to the denied ops; <c>allow_ops</c> narrows the allowed ops (intersection with reyn.yaml's).
    /// </summary>
    /// <exception cref="ReynConfigException">The profile is invalid; the message names the file, line and key.</exception>
    public static void ApplyProfile(ReynOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.Combine(Path.GetFullPath(options.RootDirectory), "agents", options.Agent, "profile.yaml");
        if (!File.Exists(path))
        {
            return;
        }

        var r = new YamlReader(path, message => new ReynConfigException(message));
        var root = r.LoadRoot(File.ReadAllText(path));
        if (root is null)
        {
            return;
        }

        foreach (var (key, value, keyNode) in r.Entries(root))
        {
            switch (key)
            {
                case "tool_deny":
                    foreach (var op in r.StringList(value, key))
                    {
                        if (!options.Permissions.ToolDeny.Contains(op))
                        {
                            options.Permissions.ToolDeny.Add(op);
                        }
                    }

                    break;
                case "allow_ops":
                    var allowed = r.StringList(value, key);
                    options.Permissions.AllowedOps = options.Permissions.AllowedOps is null
                        ? [.. allowed]
                        : [.. options.Permissions.AllowedOps.Where(allowed.Contains)];
                    break;
                case "allowed_mcp" or "description" or "role":
                    break;
                default:
                    throw r.UnknownKey(keyNode, key, ["tool_deny", "allow_ops", "allowed_mcp", "description", "role"]);
            }
        }
    }

    private static void ApplyPermissions(YamlReader r, YamlNode node, ReynOptions options)
    {
        foreach (var (k, v, kn) in r.Entries(r.Mapping(node, "permissions")))
        {
            switch (k)
            {
                case "tool_deny":
                    foreach (var op in r.StringList(v, "permissions.tool_deny"))
                    {
                        options.Permissions.ToolDeny.Add(op);
                    }

                    break;
                case "allow_ops":
                    options.Permissions.AllowedOps = [.. r.StringList(v, "permissions.allow_ops")];
                    break;
                default:
                    throw r.UnknownKey(kn, "permissions." + k, ["tool_deny", "allow_ops"]);
            }
        }
    }

    private static void ApplyBudget(YamlReader r, YamlNode node, ReynOptions options)
    {
        foreach (var (k, v, kn) in r.Entries(r.Mapping(node, "budget")))
        {
            switch (k)
            {
                case "max_llm_calls_per_phase": options.Budget.MaxLlmCallsPerPhase = r.Int(v, "budget." + k, 1); break;
                case "max_tokens_per_phase": options.Budget.MaxTokensPerPhase = r.Long(v, "budget." + k, 1); break;
                case "phase_timeout_seconds": options.Budget.PhaseTimeout = TimeSpan.FromSeconds(r.Int(v, "budget." + k, 1)); break;
                default: throw r.UnknownKey(kn, "budget." + k, ["max_llm_calls_per_phase", "max_tokens_per_phase", "phase_timeout_seconds"]);
            }
        }
    }

    private static void ApplyPrices(YamlReader r, YamlNode node, ReynOptions options)
    {
        foreach (var (model, v, _) in r.Entries(r.Mapping(node, "prices")))
        {
            decimal? input = null, output = null, cached = null;
            var prefix = "prices." + model;
            foreach (var (k, pv, kn) in r.Entries(r.Mapping(v, prefix)))
            {
                switch (k)
                {
                    case "input_per_mtok": input = r.Decimal(pv, prefix + "." + k, 0); break;
                    case "output_per_mtok": output = r.Decimal(pv, prefix + "." + k, 0); break;
                    case "cached_input_per_mtok": cached = r.Decimal(pv, prefix + "." + k, 0); break;
                    default: throw r.UnknownKey(kn, prefix + "." + k, ["input_per_mtok", "output_per_mtok", "cached_input_per_mtok"]);
                }
            }

            if (input is null || output is null)
            {
                throw r.Fail(v, prefix, "needs both input_per_mtok and output_per_mtok (US dollars per million tokens)");
            }

            options.Prices.Set(model, new ModelPrice(input.Value, output.Value, cached));
        }
    }

    private static void ApplySkillResume(YamlReader r, YamlNode node, ReynOptions options)
    {
        foreach (var (k, v, kn) in r.Entries(r.Mapping(node, "skill_resume")))
        {
            switch (k)
            {
                case "default":
                    var policy = r.RequiredString(v, "skill_resume.default");
                    if (SkillResumeOptions.Policies.Contains(policy))
                    {
                        options.SkillResume.Default = policy;
                    }
                    else
                    {
                        options.SkillResume.Default = "retry";
                        options.ConfigWarnings.Add($"{r.File}:{v.Start.Line}: skill_resume.default: unknown policy '{policy}' (allowed: {string.Join(", ", SkillResumeOptions.Policies)}); using 'retry'.");
                    }

                    break;
                case "per_skill":
                    foreach (var (skill, pv, _) in r.Entries(r.Mapping(v, "skill_resume.per_skill")))
                    {
                        var value = r.String(pv, "skill_resume.per_skill." + skill);
                        if (value is not null && SkillResumeOptions.Policies.Contains(value))
                        {
                            options.SkillResume.PerSkill[skill] = value;
                        }
                        else
                        {
                            options.ConfigWarnings.Add($"{r.File}:{pv.Start.Line}: skill_resume.per_skill.{skill}: unknown policy '{value}' (allowed: {string.Join(", ", SkillResumeOptions.Policies)}); entry ignored, the default applies.");
                        }
                    }

                    break;
                default:
                    throw r.UnknownKey(kn, "skill_resume." + k, ["default", "per_skill"]);
            }
        }
    }

    private static void ApplyOps(YamlReader r, YamlNode node, ReynOptions options)
    {
        foreach (var (op, v, kn) in r.Entries(r.Mapping(node, "ops")))
        {
            switch (op)
            {
                case "shell":
                    foreach (var (k, sv, skn) in r.Entries(r.Mapping(v, "ops.shell")))
                    {
                        switch (k)
                        {
                            case "timeout_seconds": options.Shell.Timeout = TimeSpan.FromSeconds(r.Int(sv, "ops.shell." + k, 1)); break;
                            case "max_output_chars": options.Shell.MaxOutputChars = r.Int(sv, "ops.shell." + k, 1); break;
                            default: throw r.UnknownKey(skn, "ops.shell." + k, ["timeout_seconds", "max_output_chars"]);
                        }
                    }

                    break;
                case "web_fetch":
                    foreach (var (k, wv, wkn) in r.Entries(r.Mapping(v, "ops.web_fetch")))
                    {
                        switch (k)
                        {
                            case "timeout_seconds": options.WebFetch.Timeout = TimeSpan.FromSeconds(r.Int(wv, "ops.web_fetch." + k, 1)); break;
                            case "max_bytes": options.WebFetch.MaxBytes = r.Int(wv, "ops.web_fetch." + k, 1); break;
                            default: throw r.UnknownKey(wkn, "ops.web_fetch." + k, ["timeout_seconds", "max_bytes"]);
                        }
                    }

                    break;
                default:
                    throw r.UnknownKey(kn, "ops." + op, ["shell", "web_fetch"]);
            }
        }
    }
}
