using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Runtime.Internal;
using Reyn.State;

namespace Reyn.Runtime;

/// <summary>
/// The facade a host calls: run skills, open chat sessions. Resolve it from DI after <c>services.AddReyn(...)</c>.
/// </summary>
public sealed class ReynRuntime
{
    private readonly SkillRunner _runner;
    private readonly IServiceProvider _services;

    /// <summary>Creates the runtime from the container (use DI).</summary>
    public ReynRuntime(
        IOptions<ReynOptions> options,
        EventLog events,
        OpRegistry ops,
        SkillRegistry skills,
        IServiceProvider services,
        TimeProvider? timeProvider = null,
        ILogger<ReynRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(services);
        Options = options.Value;
        Events = events;
        Ops = ops;
        Skills = skills;
        _services = services;
        Logger = (ILogger?)logger ?? NullLogger.Instance;
        Time = timeProvider ?? TimeProvider.System;
        foreach (var warning in Options.ConfigWarnings)
        {
            Logger.LogWarning("reyn config: {Warning}", warning);
        }

        var wal = Options.WalDurability is null ? null : services.GetService<IStateLog>();
        // Per-run snapshots only make sense beside a WAL (without one there is nothing to resume from).
        var snapshots = wal is null ? null : services.GetService<FileSnapshotStore>() ?? new FileSnapshotStore(new StatePaths(Path.GetFullPath(Options.RootDirectory)));
        _runner = new SkillRunner(
            Options,
            events,
            wal,
            ops,
            services.GetService<IChatClient>(),
            Time,
            services,
            Logger,
            snapshots)
        {
            Truncation = snapshots is null ? null : new Resume.Internal.WalTruncationPolicy(Time, Logger, () => Resume.Internal.LiveRunSeed.FromDisk(snapshots, Options.Agent)),
        };
        ResumeCoordinator = new SkillResumeCoordinator(Options, events, wal, snapshots, skills, _runner, Logger);
    }

    /// <summary>The crash-resume coordinator (its <see cref="SkillResumeCoordinator.Decide"/> is the per-run policy).</summary>
    public SkillResumeCoordinator ResumeCoordinator { get; }

    /// <summary>The effective options (reyn.yaml, then code).</summary>
    public ReynOptions Options { get; }

    /// <summary>The host's root emitter.</summary>
    public EventLog Events { get; }

    /// <summary>The registered op kinds.</summary>
    public OpRegistry Ops { get; }

    /// <summary>The skills that can be started by name.</summary>
    public SkillRegistry Skills { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal IServiceProvider Services => _services;

    /// <summary>Runs a skill to its end. Failures of the skill are in the result; only cancellation throws.</summary>
    /// <param name="skill">The skill (a <see cref="Skill"/> builder converts implicitly).</param>
    /// <param name="input">The entry phase's input artifact (any JSON-serializable value).</param>
    /// <param name="options">Per-run overrides.</param>
    /// <param name="cancellationToken">Cancels the run (it stays resumable).</param>
    public Task<SkillRunResult> RunSkillAsync(SkillDefinition skill, object? input = null, SkillRunOptions? options = null, CancellationToken cancellationToken = default) =>
        _runner.RunAsync(skill, input, options, cancellationToken);

    /// <summary>Runs a registered skill by name.</summary>
    /// <exception cref="ArgumentException">No skill of that name is registered.</exception>
    public Task<SkillRunResult> RunSkillAsync(string skill, object? input = null, SkillRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!Skills.TryGet(skill, out var definition))
        {
            throw new ArgumentException($"No skill named '{skill}' is registered (registered: {string.Join(", ", Skills.Names)}). Register it with services.AddReynSkill(...).", nameof(skill));
        }

        return RunSkillAsync(definition, input, options, cancellationToken);
    }

    /// <summary>
    /// Crash resume: loads the agent's snapshots, replays the WAL forward from the lowest applied seq, builds each
    /// in-flight run's <see cref="ResumePlan"/>, lets the <see cref="SkillResumeCoordinator"/> decide, and runs every
    /// resumed run to its end (completed phases are not re-executed; committed steps of the current phase are served
    /// from the WAL). Run by <see cref="ReynRestoreHostedService"/> at host start unless disabled. See docs/resume.md.
    /// </summary>
    /// <param name="options">Skip restore or wipe in-flight state instead; default: resume everything.</param>
    /// <param name="cancellationToken">Cancels restore; a run cancelled mid-way stays resumable.</param>
    /// <exception cref="StateSchemaVersionException">A snapshot has another schema version (the message says how to fix it).</exception>
    public Task<RestoreResult> RestoreAsync(RestoreOptions? options = null, CancellationToken cancellationToken = default) =>
        ResumeCoordinator.RestoreAsync(options ?? new RestoreOptions(), cancellationToken);

    internal Resume.Internal.WalTruncationPolicy? Truncation => _runner.Truncation;

    /// <summary>Opens a chat session; dispose it to emit <c>chat_stopped</c>.</summary>
    public ReynSession CreateSession(string? sessionId = null) =>
        new(this, sessionId ?? "main", _services.GetServices<ITurnBoundaryHandler>(), _services.GetService<ITurnRouter>() ?? new DefaultTurnRouter(Skills), _services.GetService<IChatClient>(), _services.GetService<HotReload.SessionHotReload>());

    internal string NewRunId(string skill) => _runner.NewRunId(skill);
}
