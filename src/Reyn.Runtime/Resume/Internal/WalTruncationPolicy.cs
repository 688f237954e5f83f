using Microsoft.Extensions.Logging;
using Reyn.State;

namespace Reyn.Runtime.Resume.Internal;

/// <summary>
/// Keeps the WAL short. Every live run has a watermark (the WAL seq its on-disk snapshot has applied); records above
/// it are still needed to resume the run. The floor is the minimum live watermark + 1 (no live run: everything below
/// the last durable seq); runs waiting for a human for <see cref="WaitingGrace"/> or more do not hold it back. The log
/// is truncated below the floor at most every <see cref="Interval"/>, or at once when the file exceeds
/// <see cref="SizeSafetyNetBytes"/>. Agent-level records (inbox, chains, interventions, tasks) are always kept.
/// </summary>
internal sealed class WalTruncationPolicy
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WaitingGrace = TimeSpan.FromMinutes(5);
    public const long SizeSafetyNetBytes = 1024 * 1024;

    public static IReadOnlyCollection<string> AlwaysKeepKinds { get; } =
    [
        WalKinds.InboxPut, WalKinds.InboxConsume, WalKinds.ChainRegister, WalKinds.ChainUpdate, WalKinds.ChainResolve,
        WalKinds.InterventionDispatched, WalKinds.InterventionResolved, WalKinds.InterventionAnswerBuffered,
        WalKinds.InterventionAnswerConsumed, WalKinds.TaskSubscribed, WalKinds.TaskRebound,
    ];

    private readonly Dictionary<string, LiveRun> _live = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<IEnumerable<(string RunId, long Watermark, DateTimeOffset? WaitingSince)>>? _seed;
    private readonly SemaphoreSlim _truncating = new(1, 1);
    private DateTimeOffset _lastTruncation;
    private bool _seeded;

    public WalTruncationPolicy(TimeProvider time, ILogger logger, Func<IEnumerable<(string RunId, long Watermark, DateTimeOffset? WaitingSince)>>? seed = null)
    {
        _time = time;
        _logger = logger;
        _seed = seed;
        _lastTruncation = time.GetUtcNow(); // the first interval starts with the runtime
    }

    /// <summary>Truncations done (for tests and diagnostics).</summary>
    public int Truncations { get; private set; }

    /// <summary>A run's snapshot now has <paramref name="watermark"/> applied.</summary>
    public void Update(string runId, long watermark)
    {
        lock (_gate)
        {
            _live[runId] = new LiveRun(watermark, _live.TryGetValue(runId, out var previous) ? previous.WaitingSince : null);
        }
    }

    /// <summary>A run started or stopped waiting for a human.</summary>
    public void SetWaiting(string runId, DateTimeOffset? since)
    {
        lock (_gate)
        {
            if (_live.TryGetValue(runId, out var run))
            {
                _live[runId] = run with { WaitingSince = since };
            }
        }
    }

    /// <summary>A run ended for good (its snapshot is deleted).</summary>
    public void Remove(string runId)
    {
        lock (_gate)
        {
            _live.Remove(runId);
        }
    }

    /// <summary>The truncation floor: records with seq below it are no longer needed by any live run.</summary>
    public long Floor(long lastDurableSeq)
    {
        EnsureSeeded();
        var now = _time.GetUtcNow();
        var floor = lastDurableSeq + 1;
        lock (_gate)
        {
            foreach (var run in _live.Values)
            {
                if (run.WaitingSince is { } since && now - since >= WaitingGrace)
                {
                    continue;
                }

                floor = Math.Min(floor, run.Watermark + 1);
            }
        }

        return floor;
    }

    /// <summary>Truncates when the interval has passed or the file is over the safety net; never throws.</summary>
    public async ValueTask MaybeTruncateAsync(IStateLog? wal, CancellationToken cancellationToken)
    {
        if (wal is not FileStateLog log || log.IsFailed)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var due = now - _lastTruncation >= Interval;
        if (!due)
        {
            try
            {
                due = new FileInfo(log.Path).Length > SizeSafetyNetBytes;
            }
            catch (IOException)
            {
                return;
            }
        }

        if (!due || !await _truncating.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            _lastTruncation = now;
            var floor = Floor(log.LastDurableSeq);
            if (floor > 1)
            {
                await log.TruncateBelowAsync(floor, AlwaysKeepKinds, cancellationToken).ConfigureAwait(false);
                Truncations++;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "WAL truncation failed; the log is left as it was");
        }
        finally
        {
            _truncating.Release();
        }
    }

    private void EnsureSeeded()
    {
        if (_seeded || _seed is null)
        {
            return;
        }

        var seeded = _seed(); // runs left on disk by an earlier process hold the floor back until they end
        lock (_gate)
        {
            foreach (var (runId, watermark, waitingSince) in seeded)
            {
                if (!_live.ContainsKey(runId))
                {
                    _live[runId] = new LiveRun(watermark, waitingSince); // a run left waiting for a person keeps its wait time
                }
            }

            _seeded = true;
        }
    }

    private sealed record LiveRun(long Watermark, DateTimeOffset? WaitingSince);
}
