using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reyn.Runtime.HotReload;

/// <summary>
/// Opt-in: turns edits of IN-set files (<c>mcp.yaml</c>, <c>cron.yaml</c>, <c>hooks.yaml</c> in the root and
/// <c>agents/&lt;name&gt;/{profile,hooks}.yaml</c>) into <c>RequestReload("file_watch")</c>. A burst of edits is
/// debounced into one request, <see cref="Debounce"/> after the last edit (timed by the <see cref="TimeProvider"/>).
/// The reload itself still applies only at the turn boundary.
/// </summary>
/// <remarks>Edits of any other file, <c>reyn.yaml</c> included, are ignored.</remarks>
public sealed class InSetFileWatcher : IDisposable
{
    /// <summary>The default debounce window.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    private readonly IReloadScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly FileSystemWatcher _watcher;
    private int _disposed;

    /// <summary>Starts watching <paramref name="rootDirectory"/> (the <c>.reyn/</c> directory; created if missing).</summary>
    /// <param name="rootDirectory">The <c>.reyn/</c> directory.</param>
    /// <param name="scheduler">Receives <c>RequestReload("file_watch")</c>; normally the <see cref="HotReloader"/>.</param>
    /// <param name="debounce">Quiet time after the last edit before the request; <see cref="DefaultDebounce"/> when null.</param>
    /// <param name="timeProvider">The clock of the debounce; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Reports watcher errors.</param>
    public InSetFileWatcher(string rootDirectory, IReloadScheduler scheduler, TimeSpan? debounce = null, TimeProvider? timeProvider = null, ILogger<InSetFileWatcher>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(scheduler);
        Debounce = debounce ?? DefaultDebounce;
        ArgumentOutOfRangeException.ThrowIfLessThan(Debounce, TimeSpan.Zero, nameof(debounce));
        RootDirectory = Path.GetFullPath(rootDirectory);
        _scheduler = scheduler;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(static state => ((InSetFileWatcher)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Directory.CreateDirectory(RootDirectory);
        _watcher = new FileSystemWatcher(RootDirectory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += OnEvent;
        _watcher.Created += OnEvent;
        _watcher.Deleted += OnEvent;
        _watcher.Renamed += OnRenamed;
        _watcher.Error += OnError;
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Raised (on a watcher thread) for every relevant edit, before the debounce; useful for diagnostics and tests.</summary>
    public event Action<string>? ChangeObserved;

    /// <summary>The watched <c>.reyn/</c> directory.</summary>
    public string RootDirectory { get; }

    /// <summary>The debounce window.</summary>
    public TimeSpan Debounce { get; }

    /// <summary>Whether <paramref name="fullPath"/> is an IN-set file (the test the watcher applies to each edit).</summary>
    public bool IsInSetPath(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        var relative = Path.GetRelativePath(RootDirectory, Path.GetFullPath(fullPath));
        var parts = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts switch
        {
            [InSetLoader.McpFileName or InSetLoader.CronFileName or InSetLoader.HooksFileName] => true,
            [InSetLoader.AgentsDirectoryName, var agent, InSetLoader.ProfileFileName or InSetLoader.HooksFileName] => agent.Length > 0 && agent[0] != '.',
            // A whole agent directory appearing or disappearing changes the per-agent layers too.
            [InSetLoader.AgentsDirectoryName, var agent] => agent.Length > 0 && agent[0] != '.',
            _ => false,
        };
    }

    /// <summary>Feeds one file-system notification through the filter and the debounce (what the watcher calls).</summary>
    internal void Notify(string fullPath)
    {
        if (Volatile.Read(ref _disposed) != 0 || !IsInSetPath(fullPath))
        {
            return;
        }

        _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
        ChangeObserved?.Invoke(fullPath);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watcher.EnableRaisingEvents = false;
        _watcher.Dispose();
        _timer.Dispose();
    }

    private void OnEvent(object sender, FileSystemEventArgs e) => Notify(e.FullPath);

    private void OnRenamed(object sender, RenamedEventArgs e)
    {
        Notify(e.OldFullPath);
        Notify(e.FullPath);
    }

    private void OnError(object sender, ErrorEventArgs e)
    {
        // Lost notifications (buffer overflow): schedule a reload anyway so nothing is missed.
        _logger.LogWarning(e.GetException(), "The IN-set file watcher lost events; scheduling a reload to be safe.");
        if (Volatile.Read(ref _disposed) == 0)
        {
            _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Fire()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _scheduler.RequestReload(ReloadSources.FileWatch);
        }
    }
}
