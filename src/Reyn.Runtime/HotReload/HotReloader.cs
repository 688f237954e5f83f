using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// Applies IN-set changes at the turn boundary. <see cref="RequestReload"/> only schedules; the session calls
/// <see cref="ApplyPendingAsync"/> after <c>turn_completed</c>. Requests made during one turn collapse into one apply
/// (1 turn = 1 config snapshot, the last source wins).
/// </summary>
/// <remarks>
/// <para>An apply reads the IN-set once and validates it first. Any problem rejects the whole reload: no seam runs,
/// <see cref="Current"/> is unchanged and <c>config_reload_rejected {source, reason, file, line}</c> is emitted.
/// Otherwise every seam runs in registration order, each isolated (a throwing seam is listed in <c>failed</c> and the
/// others still run), <see cref="Current"/> becomes the new snapshot and
/// <c>config_reloaded {source, components, failed}</c> is emitted. Nothing pending: nothing happens, nothing is emitted.</para>
/// <para><see cref="ApplyPendingAsync"/> never throws into the session.</para>
/// </remarks>
public sealed class HotReloader : IReloadScheduler
{
    private readonly InSetLoader _loader;
    private readonly EventLog _events;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _applyGate = new(1, 1);
    private IReloadSeam[] _seams;
    private InSetSnapshot _current;
    private string? _pendingSource;

    /// <summary>Creates a reloader.</summary>
    /// <param name="loader">Reads the IN-set.</param>
    /// <param name="events">Where <c>config_reloaded</c> / <c>config_reload_rejected</c> go.</param>
    /// <param name="seams">The seams, in the order they run (a session registers <c>cron</c>, <c>mcp</c>,
    /// <c>per_agent_capability</c>, <c>new_agent</c>, <c>hooks</c>).</param>
    /// <param name="initial">The IN-set read at boot (the seams were built from it); read now when null.</param>
    /// <param name="logger">Warnings about rejected reloads and failing seams.</param>
    public HotReloader(
        InSetLoader loader,
        EventLog events,
        IEnumerable<IReloadSeam>? seams = null,
        InSetSnapshot? initial = null,
        ILogger<HotReloader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(events);
        _loader = loader;
        _events = events;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _seams = seams?.ToArray() ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seam in _seams)
        {
            ArgumentNullException.ThrowIfNull(seam, nameof(seams));
            if (!names.Add(seam.Name))
            {
                throw new ArgumentException($"Two reload seams are named '{seam.Name}'; seam names must be unique.", nameof(seams));
            }
        }

        _current = initial ?? loader.Load();
    }

    /// <summary>The live IN-set: the snapshot of the last successful apply (or of boot). Take it at turn start.</summary>
    public InSetSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether a reload waits for the next turn boundary.</summary>
    public bool IsPending
    {
        get
        {
            lock (_gate)
            {
                return _pendingSource is not null;
            }
        }
    }

    /// <summary>The source of the pending request, or <see langword="null"/>.</summary>
    public string? PendingSource
    {
        get
        {
            lock (_gate)
            {
                return _pendingSource;
            }
        }
    }

    /// <summary>The seam names, in run order.</summary>
    public IReadOnlyList<string> SeamNames => Volatile.Read(ref _seams).Select(s => s.Name).ToArray();

    /// <summary>Appends a seam (a session registers its seams at construction).</summary>
    public void AddSeam(IReloadSeam seam)
    {
        ArgumentNullException.ThrowIfNull(seam);
        lock (_gate)
        {
            if (_seams.Any(s => string.Equals(s.Name, seam.Name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"A reload seam named '{seam.Name}' is already registered; seam names must be unique.", nameof(seam));
            }

            Volatile.Write(ref _seams, [.. _seams, seam]);
        }
    }

    /// <inheritdoc />
    /// <remarks>Thread-safe and cheap: it only records <paramref name="source"/> (the last one wins).</remarks>
    public void RequestReload(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        lock (_gate)
        {
            _pendingSource = source;
        }
    }

    /// <summary>
    /// Applies the pending reload, if any. Call it at the turn boundary (after <c>turn_completed</c>).
    /// </summary>
    /// <returns><see langword="null"/> when nothing was pending (nothing emitted); otherwise what happened.</returns>
    public async ValueTask<ReloadOutcome?> ApplyPendingAsync(CancellationToken cancellationToken = default)
    {
        await _applyGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            string source;
            lock (_gate)
            {
                if (_pendingSource is null)
                {
                    return null;
                }

                source = _pendingSource;
                _pendingSource = null;
            }

            return await ApplyAsync(source, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _applyGate.Release();
        }
    }

    private async ValueTask<ReloadOutcome> ApplyAsync(string source, CancellationToken cancellationToken)
    {
        InSetSnapshot snapshot;
        try
        {
            snapshot = _loader.Load();
        }
        catch (Exception ex)
        {
            // The loader reports problems as errors; this is a last line of defence so a reload never crashes a session.
            snapshot = new InSetSnapshot(McpConfig.Empty, CronConfig.Empty, Current.Hooks, [], [new ConfigError(_loader.RootDirectory, 0, "the IN-set could not be read: " + ex.Message)]);
        }

        if (!snapshot.IsValid)
        {
            return Reject(source, snapshot.Errors);
        }

        var seams = Volatile.Read(ref _seams);
        var components = new List<string>(seams.Length);
        var failed = new List<string>();
        foreach (var seam in seams)
        {
            try
            {
                if (await seam.ApplyAsync(snapshot, cancellationToken).ConfigureAwait(false))
                {
                    components.Add(seam.Name);
                }
            }
            catch (Exception ex)
            {
                failed.Add(seam.Name);
                _logger.LogWarning(ex, "Reload seam {Seam} failed (source {Source}); the other seams still ran.", seam.Name, source);
            }
        }

        Volatile.Write(ref _current, snapshot);
        var data = new EventData(6)
        {
            { "source", source },
            { "components", components.ToArray() },
            { "failed", failed.ToArray() },
        };
        _events.Emit(EventTypes.ConfigReloaded, data);
        return new ReloadOutcome(source, components, failed, []);
    }

    private ReloadOutcome Reject(string source, IReadOnlyList<ConfigError> errors)
    {
        var outcome = new ReloadOutcome(source, [], [], errors);
        _logger.LogWarning("Config reload from {Source} rejected; the live config is unchanged: {Reason}", source, outcome.Reason);
        var first = errors[0];
        var data = new EventData(8)
        {
            { "source", source },
            { "reason", outcome.Reason },
            { "file", first.File },
            { "line", first.Line },
        };
        _events.Emit(EventTypes.ConfigReloadRejected, data);
        return outcome;
    }
}
