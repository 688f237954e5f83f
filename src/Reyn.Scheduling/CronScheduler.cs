using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events;
using Reyn.Scheduling.Internal;

namespace Reyn.Scheduling;

/// <summary>
/// Runs <see cref="CronJob"/>s on their schedules, driven by a <see cref="TimeProvider"/> (one timer per job from
/// <see cref="TimeProvider.CreateTimer"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A job never overlaps itself: a tick that comes while the previous run is still going is skipped and recorded
/// (<c>cron_job_skipped</c>, <see cref="CronJobStatus.SkippedCount"/>).</item>
/// <item>A runner that throws marks the run <c>error</c> with <c>"&lt;Type&gt;: &lt;message&gt;"</c>; the job stays scheduled.</item>
/// <item>Jobs can be added, replaced and removed by name while running. A <see cref="CronJobOrigin.Runtime"/> job
/// shadows the <see cref="CronJobOrigin.Startup"/> job of the same name; removing it restores the startup job.</item>
/// <item>With a <see cref="CronStatusStore"/>, each job's last run, status, duration, error and next run survive a
/// restart, and on start each job's <see cref="MisfirePolicy"/> decides about runs missed while stopped.</item>
/// <item>Events: <c>cron_fired</c>, <c>cron_job_completed</c>, <c>cron_job_failed</c>, <c>cron_job_skipped</c>.</item>
/// <item>A timer that fires late while the process keeps running (for example after the machine slept) runs the
/// job once for the overdue occurrence and continues from the current time; it does not replay every occurrence in
/// between.</item>
/// </list>
/// The scheduler hands each job to <see cref="IJobRunner"/> as configured and grants nothing extra.
/// </remarks>
public sealed class CronScheduler : IAsyncDisposable, IDisposable
{
    /// <summary>Longest single timer wait; longer waits are re-armed (keeps timers within platform limits and follows clock changes).</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromHours(12);

    private const int MaxMisfireCount = 1000;

    private readonly IJobRunner _runner;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly CronStatusStore? _store;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Lock _persistGate = new();
    private readonly List<string> _order = [];
    private readonly Dictionary<string, CronJob> _startup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CronJob> _runtime = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private Dictionary<string, CronJobStatus> _statuses = new(StringComparer.Ordinal);
    private CancellationTokenSource _stopping = new();
    private bool _started;

    /// <summary>Creates a scheduler.</summary>
    /// <param name="runner">Runs each job.</param>
    /// <param name="events">Where <c>cron_*</c> events go.</param>
    /// <param name="timeProvider">The clock and timers; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="statusStore">Where job status is persisted; none (in memory only) when null.</param>
    /// <param name="logger">Where persistence problems are reported.</param>
    public CronScheduler(IJobRunner runner, EventLog events, TimeProvider? timeProvider = null, CronStatusStore? statusStore = null, ILogger<CronScheduler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(events);
        _runner = runner;
        _events = events;
        _time = timeProvider ?? TimeProvider.System;
        _store = statusStore;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Whether <see cref="StartAsync"/> has run and <see cref="StopAsync"/> has not.</summary>
    public bool IsStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="job"/>, or replaces the job of the same name and origin. Takes effect at once when the
    /// scheduler is running (a run in progress under that name finishes; the replacement never overlaps it).
    /// </summary>
    public void AddOrReplace(CronJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Name, nameof(job) + "." + nameof(CronJob.Name));
        bool started;
        lock (_gate)
        {
            if (!_startup.ContainsKey(job.Name) && !_runtime.ContainsKey(job.Name))
            {
                _order.Add(job.Name);
            }

            (job.Origin == CronJobOrigin.Runtime ? _runtime : _startup)[job.Name] = job;
            started = _started;
            if (started)
            {
                RescheduleLocked(job.Name, _time.GetUtcNow());
            }
        }

        if (started)
        {
            Persist();
        }
    }

    /// <summary>
    /// Removes the job named <paramref name="name"/> from the <paramref name="origin"/> layer (runtime by default, as
    /// the hot-reload seam does). Removing a runtime job that shadowed a startup job restores the startup job.
    /// </summary>
    /// <returns><see langword="true"/> if such a job was present.</returns>
    public bool Remove(string name, CronJobOrigin origin = CronJobOrigin.Runtime)
    {
        ArgumentNullException.ThrowIfNull(name);
        bool started;
        lock (_gate)
        {
            var layer = origin == CronJobOrigin.Runtime ? _runtime : _startup;
            if (!layer.Remove(name))
            {
                return false;
            }

            if (!_startup.ContainsKey(name) && !_runtime.ContainsKey(name))
            {
                _order.Remove(name);
            }

            started = _started;
            if (started)
            {
                RescheduleLocked(name, _time.GetUtcNow());
            }
        }

        if (started)
        {
            Persist();
        }

        return true;
    }

    /// <summary>The jobs in effect, in the order they were first added, with their next run or why they do not run.</summary>
    public IReadOnlyList<CronJobState> GetJobs()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var result = new List<CronJobState>(_order.Count);
            foreach (var name in _order)
            {
                var job = EffectiveLocked(name)!;
                var state = CronJobState.Evaluate(job, now);
                if (_started && state.IsActive)
                {
                    state = state with { NextRunAt = _entries.TryGetValue(name, out var entry) ? entry.DueAt : null };
                }

                result.Add(state);
            }

            return result;
        }
    }

    /// <summary>The recorded status of the job named <paramref name="name"/>, or <see langword="null"/> if it never ran or was loaded.</summary>
    public CronJobStatus? GetStatus(string name)
    {
        lock (_gate)
        {
            return _statuses.TryGetValue(name, out var status) ? status : null;
        }
    }

    /// <summary>Whether a run of the job named <paramref name="name"/> is in progress.</summary>
    public bool IsRunning(string name)
    {
        lock (_gate)
        {
            return _running.ContainsKey(name);
        }
    }

    /// <summary>
    /// Loads persisted status, applies each job's misfire policy and arms the timers. Calling it again while started
    /// does nothing.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        Dictionary<string, CronJobStatus>? loaded = null;
        lock (_gate)
        {
            if (_started)
            {
                return Task.CompletedTask;
            }
        }

        if (_store is not null)
        {
            loaded = new Dictionary<string, CronJobStatus>(_store.LoadOrSetAside(now, out var warning), StringComparer.Ordinal);
            if (warning is not null)
            {
                _logger.LogWarning("{Warning}", warning);
            }
        }

        var misfires = new List<(CronJob Job, DateTimeOffset FirstMissed, int Count)>();
        lock (_gate)
        {
            if (_started)
            {
                return Task.CompletedTask;
            }

            _started = true;
            if (_stopping.IsCancellationRequested)
            {
                _stopping.Dispose();
                _stopping = new CancellationTokenSource();
            }

            if (loaded is not null)
            {
                foreach (var (name, status) in _statuses)
                {
                    loaded[name] = status;
                }

                _statuses = loaded;
            }

            foreach (var name in _order)
            {
                var job = EffectiveLocked(name)!;
                if (_statuses.TryGetValue(name, out var previous) && previous.NextRunAt is { } due && due <= now
                    && CronJobState.Evaluate(job, now, out var schedule).IsActive)
                {
                    misfires.Add((job, due, CountOccurrences(schedule!, job.TimeZone, due, now)));
                }

                RescheduleLocked(name, now);
            }
        }

        foreach (var (job, firstMissed, count) in misfires)
        {
            var missed = count >= MaxMisfireCount ? MaxMisfireCount.ToString(CultureInfo.InvariantCulture) + "+" : count.ToString(CultureInfo.InvariantCulture);
            if (job.Misfire == MisfirePolicy.RunOnce)
            {
                TryStartRun(job, firstMissed, catchUp: true, missed);
            }
            else
            {
                RecordSkip(job, $"misfire: {missed} run(s) missed while the scheduler was stopped (first due {Iso(firstMissed)}); misfire policy skip", firstMissed, missed);
            }
        }

        Persist();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Disarms every timer, cancels runs in progress (recorded as <c>cancelled</c>) and waits for them to finish or for
    /// <paramref name="cancellationToken"/>. Calling it again does nothing.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task[] running;
        lock (_gate)
        {
            if (!_started)
            {
                return;
            }

            _started = false;
            foreach (var entry in _entries.Values)
            {
                entry.Retire();
            }

            _entries.Clear();
            running = [.. _running.Values.Select(r => r.Completion)];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Stopping the cron scheduler gave up waiting for {Count} run(s) in progress", running.Length);
        }
    }

    /// <summary>
    /// Blocks until <see cref="DisposeAsync"/> completes, for hosts that dispose their container synchronously
    /// (<c>using var provider = services.BuildServiceProvider()</c>). Prefer <see cref="DisposeAsync"/>.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private CronJob? EffectiveLocked(string name) =>
        _runtime.TryGetValue(name, out var runtime) ? runtime : _startup.GetValueOrDefault(name);

    private void RescheduleLocked(string name, DateTimeOffset now)
    {
        if (_entries.Remove(name, out var old))
        {
            old.Retire();
        }

        var job = EffectiveLocked(name);
        DateTimeOffset? next = null;
        if (job is not null && CronJobState.Evaluate(job, now, out var schedule).IsActive)
        {
            var entry = new ScheduledEntry(job, schedule!);
            _entries[name] = entry;
            next = schedule!.GetNextOccurrence(now, job.TimeZone);
            entry.DueAt = next;
            if (next is { } due)
            {
                entry.Timer = _time.CreateTimer(static state => ((TimerState)state!).Fire(), new TimerState(this, entry), Delay(due, now), Timeout.InfiniteTimeSpan);
            }
        }

        var status = _statuses.GetValueOrDefault(name);
        if (status is not null || next is not null)
        {
            _statuses[name] = (status ?? new CronJobStatus()) with { NextRunAt = next };
        }
    }

    private static TimeSpan Delay(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerDelay ? MaxTimerDelay : delay;
    }

    private void OnTimer(ScheduledEntry entry)
    {
        DateTimeOffset tick;
        bool overlap;
        lock (_gate)
        {
            if (entry.Retired || entry.DueAt is not { } due || entry.Timer is null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            if (now < due)
            {
                entry.Timer.Change(Delay(due, now), Timeout.InfiniteTimeSpan);
                return;
            }

            tick = due;
            var next = entry.Schedule.GetNextOccurrence(now, entry.Job.TimeZone);
            entry.DueAt = next;
            if (next is { } nextDue)
            {
                entry.Timer.Change(Delay(nextDue, now), Timeout.InfiniteTimeSpan);
            }

            _statuses[entry.Job.Name] = (_statuses.GetValueOrDefault(entry.Job.Name) ?? new CronJobStatus()) with { NextRunAt = next };
            overlap = _running.ContainsKey(entry.Job.Name);
        }

        if (overlap)
        {
            DateTimeOffset startedAt;
            lock (_gate)
            {
                startedAt = _running.TryGetValue(entry.Job.Name, out var run) ? run.StartedAt : tick;
            }

            RecordSkip(entry.Job, $"the previous run (started {Iso(startedAt)}) is still in progress", tick, missed: null);
            Persist();
            return;
        }

        TryStartRun(entry.Job, tick, catchUp: false, missed: null);
    }

    private void TryStartRun(CronJob job, DateTimeOffset scheduledFor, bool catchUp, string? missed)
    {
        RunningJob run;
        CancellationToken token;
        lock (_gate)
        {
            if (_running.ContainsKey(job.Name))
            {
                return;
            }

            run = new RunningJob(job, _time.GetUtcNow());
            _running[job.Name] = run;
            token = _stopping.Token;
        }

        var fired = new EventData(6)
        {
            ["job"] = job.Name,
            [EventFields.Skill] = job.Skill,
            ["scheduled_for"] = Iso(scheduledFor),
        };
        if (catchUp)
        {
            fired["catch_up"] = true;
            fired["missed"] = missed;
        }

        _events.Emit(EventTypes.CronFired, fired);
        run.Completion = Task.Run(() => ExecuteAsync(run, scheduledFor, token), CancellationToken.None);
    }

    private async Task ExecuteAsync(RunningJob run, DateTimeOffset scheduledFor, CancellationToken token)
    {
        var job = run.Job;
        var started = _time.GetTimestamp();
        string status;
        string? error = null;
        try
        {
            await _runner.RunAsync(job, token).ConfigureAwait(false);
            status = CronJobStatus.Ok;
        }
        catch (OperationCanceledException ex) when (token.IsCancellationRequested)
        {
            status = CronJobStatus.Cancelled;
            error = $"{ex.GetType().Name}: the scheduler stopped while the job was running";
        }
        catch (Exception ex)
        {
            status = CronJobStatus.Error;
            error = $"{ex.GetType().Name}: {ex.Message}";
        }

        var duration = _time.GetElapsedTime(started);
        lock (_gate)
        {
            _statuses[job.Name] = (_statuses.GetValueOrDefault(job.Name) ?? new CronJobStatus()) with
            {
                LastRunAt = run.StartedAt,
                LastStatus = status,
                LastDuration = duration,
                LastError = error,
            };
            if (_running.TryGetValue(job.Name, out var current) && ReferenceEquals(current, run))
            {
                _running.Remove(job.Name);
            }
        }

        Persist();
        var data = new EventData(8)
        {
            ["job"] = job.Name,
            [EventFields.Skill] = job.Skill,
            ["scheduled_for"] = Iso(scheduledFor),
            ["status"] = status,
            ["duration_ms"] = Math.Round(duration.TotalMilliseconds, 3),
        };
        if (error is null)
        {
            _events.Emit(EventTypes.CronJobCompleted, data);
        }
        else
        {
            data["error"] = error;
            _events.Emit(EventTypes.CronJobFailed, data);
        }
    }

    private void RecordSkip(CronJob job, string reason, DateTimeOffset scheduledFor, string? missed)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var status = _statuses.GetValueOrDefault(job.Name) ?? new CronJobStatus();
            _statuses[job.Name] = status with { SkippedCount = status.SkippedCount + 1, LastSkippedAt = now, LastSkipReason = reason };
        }

        var data = new EventData(6)
        {
            ["job"] = job.Name,
            [EventFields.Skill] = job.Skill,
            ["reason"] = reason,
            ["scheduled_for"] = Iso(scheduledFor),
        };
        if (missed is not null)
        {
            data["missed"] = missed;
        }

        _events.Emit(EventTypes.CronJobSkipped, data);
    }

    private void Persist()
    {
        if (_store is null)
        {
            return;
        }

        lock (_persistGate)
        {
            Dictionary<string, CronJobStatus> snapshot;
            lock (_gate)
            {
                snapshot = new Dictionary<string, CronJobStatus>(_statuses, StringComparer.Ordinal);
            }

            try
            {
                _store.Save(snapshot);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(ex, "Could not write the cron status file {Path}; job status is kept in memory", _store.Path);
            }
        }
    }

    private static int CountOccurrences(CronSchedule schedule, TimeZoneInfo zone, DateTimeOffset firstDue, DateTimeOffset now)
    {
        var count = 1;
        var cursor = firstDue;
        while (count < MaxMisfireCount && schedule.GetNextOccurrence(cursor, zone) is { } next && next <= now)
        {
            count++;
            cursor = next;
        }

        return count;
    }

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed class TimerState(CronScheduler owner, ScheduledEntry entry)
    {
        public void Fire()
        {
            try
            {
                owner.OnTimer(entry);
            }
            catch (Exception ex)
            {
                owner._logger.LogError(ex, "The cron timer of job {Job} failed", entry.Job.Name);
            }
        }
    }
}
