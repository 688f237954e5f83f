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
/// The facade a host calls: run skills, open chat sessions, resume after a crash, answer the questions phases ask a
/// person. Resolve it from DI after <c>services.AddReyn(...)</c>.
/// </summary>
public sealed class ReynRuntime
{
    private readonly SkillRunner _runner;
    private readonly Interventions.Internal.InterventionBroker _interventions;
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
        var truncation = snapshots is null ? null : new Resume.Internal.WalTruncationPolicy(Time, Logger, () => Resume.Internal.LiveRunSeed.FromDisk(snapshots, Options.Agent));
        _interventions = new Interventions.Internal.InterventionBroker(Options.Agent, wal, snapshots, Time, Logger) { Truncation = truncation };
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
            Truncation = truncation,
            Interventions = _interventions,
        };
        ResumeCoordinator = new SkillResumeCoordinator(Options, events, wal, snapshots, skills, _runner, _interventions, Logger);
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
    /// from the WAL) or until it waits for a person (<see cref="ResumedRun.AwaitingInterventionId"/>; the run goes on
    /// in <see cref="ResumedRun.Completion"/>). Run by <see cref="ReynRestoreHostedService"/> at host start unless
    /// disabled. See docs/resume.md.
    /// </summary>
    /// <param name="options">Skip restore or wipe in-flight state instead; default: resume everything.</param>
    /// <param name="cancellationToken">Cancels restore; a run cancelled mid-way stays resumable.</param>
    /// <exception cref="StateSchemaVersionException">A snapshot has another schema version (the message says how to fix it).</exception>
    public Task<RestoreResult> RestoreAsync(RestoreOptions? options = null, CancellationToken cancellationToken = default) =>
        ResumeCoordinator.RestoreAsync(options ?? new RestoreOptions(), cancellationToken);

    /// <summary>
    /// Answers a question a phase asked with <see cref="PhaseContext.AskHumanAsync"/>. When the run waits in this
    /// process the answer is recorded (<c>intervention_resolved</c>, <c>user_intervention_received</c>) and the phase
    /// continues (<see cref="InterventionDelivery.Delivered"/>); otherwise — for example after a restart, before
    /// <see cref="RestoreAsync"/> resumed the run — it is durably buffered (<c>intervention_answer_buffered</c>) and the
    /// resumed run consumes it (<see cref="InterventionDelivery.Buffered"/>).
    /// </summary>
    /// <param name="interventionId">The id from <c>user_intervention_requested</c> or <see cref="GetPendingInterventionsAsync"/>.</param>
    /// <param name="text">The answer text.</param>
    /// <param name="choiceId">The chosen option, when the question offered choices.</param>
    /// <param name="cancellationToken">Cancels the call before anything is recorded.</param>
    /// <exception cref="InterventionNotFoundException">The id is not outstanding (unknown, answered already, or its run was discarded).</exception>
    /// <exception cref="ArgumentException">The answer is empty, or <paramref name="choiceId"/> is not one of the question's choices.</exception>
    /// <exception cref="InvalidOperationException">An answer is already buffered for the run.</exception>
    public Task<InterventionDelivery> ResolveInterventionAsync(string interventionId, string? text, string? choiceId = null, CancellationToken cancellationToken = default) =>
        _interventions.ResolveAsync(interventionId, text, choiceId, cancellationToken);

    /// <summary>The questions to a person not answered yet (from the agent snapshot and the WAL), oldest first.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<IReadOnlyList<PendingIntervention>> GetPendingInterventionsAsync(CancellationToken cancellationToken = default) =>
        _interventions.PendingAsync(cancellationToken);

    internal Resume.Internal.WalTruncationPolicy? Truncation => _runner.Truncation;

    /// <summary>Opens a chat session; dispose it to emit <c>chat_stopped</c>.</summary>
    public ReynSession CreateSession(string? sessionId = null) =>
        new(this, sessionId ?? "main", _services.GetServices<ITurnBoundaryHandler>(), _services.GetService<ITurnRouter>() ?? new DefaultTurnRouter(Skills), _services.GetService<IChatClient>(), _services.GetService<HotReload.SessionHotReload>());

    internal string NewRunId(string skill) => _runner.NewRunId(skill);
}
