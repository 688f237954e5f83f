using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reyn.Runtime;

/// <summary>
/// Runs <see cref="ReynRuntime.RestoreAsync"/> when the host starts, unless <see cref="RestoreOptions.NoRestore"/> is
/// set (configure it with <c>services.Configure&lt;RestoreOptions&gt;(o =&gt; o.NoRestore = true)</c>). Resumed runs
/// finish in the background; a snapshot of another schema version stops start-up.
/// </summary>
public sealed class ReynRestoreHostedService : IHostedService
{
    private readonly ReynRuntime _runtime;
    private readonly RestoreOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _restore;

    /// <summary>Creates the service (use DI).</summary>
    public ReynRestoreHostedService(ReynRuntime runtime, Microsoft.Extensions.Options.IOptions<RestoreOptions>? options = null, ILogger<ReynRestoreHostedService>? logger = null)
    {
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _options = options?.Value ?? new RestoreOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The restore started at host start (null when disabled); completes when every resumed run has ended or waits for a person.</summary>
    public Task<RestoreResult>? Restore { get; private set; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.NoRestore)
        {
            _logger.LogInformation("Crash resume is disabled (RestoreOptions.NoRestore); in-flight state stays on disk.");
            return Task.CompletedTask;
        }

        Restore = _runtime.RestoreAsync(_options, _stopping.Token);
        _restore = Restore;
        // Schema-version and WAL problems surface at once (they stop start-up); the resumed runs go on in the background.
        return Restore.IsFaulted ? Restore : Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_restore is not null)
        {
            try
            {
                await _restore.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                _logger.LogInformation("Restore stopped with the host; interrupted runs stay resumable.");
            }
        }

        _stopping.Dispose();
    }
}
