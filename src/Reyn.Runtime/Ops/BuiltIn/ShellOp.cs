using System.Diagnostics;
using System.Text;

namespace Reyn.Runtime;

/// <summary>
/// <c>shell</c> (side effect): runs a command with <c>/bin/sh -c</c> (<c>cmd.exe /c</c> on Windows) in the workspace.
/// Arguments: <c>command</c>, optional <c>cwd</c> (inside the workspace), <c>timeout_seconds</c>.
/// Data: <c>{exit_code, stdout, stderr, timed_out, truncated}</c>; output beyond the configured cap is cut.
/// A timed-out process tree is killed and reported with <c>timed_out: true</c> and <c>exit_code: -1</c>.
/// </summary>
public sealed class ShellOp : IOp, IFileAccessOp
{
    private readonly ShellOptions _options;

    /// <summary>Creates the op with the given limits.</summary>
    public ShellOp(ShellOptions? options = null)
    {
        _options = options ?? new ShellOptions();
    }

    /// <inheritdoc />
    public string Kind => "shell";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.SideEffect;

    /// <inheritdoc />
    public IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments) =>
        [new(arguments.GetOptionalString("cwd") ?? ".", PathAccessMode.Write)];

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var command = invocation.Arguments.GetString("command");
        var cwd = invocation.Workspace.Resolve(invocation.Arguments.GetOptionalString("cwd") ?? ".");
        var timeoutSeconds = invocation.Arguments.GetInt32("timeout_seconds", (int)_options.Timeout.TotalSeconds);
        if (timeoutSeconds <= 0)
        {
            throw new OpArgumentException("Argument 'timeout_seconds' must be positive.");
        }

        Directory.CreateDirectory(cwd);
        var info = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        info.WorkingDirectory = cwd;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{info.FileName}'.");
        process.StandardInput.Close();
        var stdout = new BoundedText(_options.MaxOutputChars);
        var stderr = new BoundedText(_options.MaxOutputChars);
        var readOut = PumpAsync(process.StandardOutput, stdout);
        var readErr = PumpAsync(process.StandardError, stderr);
        var timedOut = false;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already exited.
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
        return OpResult.Ok(new
        {
            exit_code = timedOut ? -1 : process.ExitCode,
            stdout = stdout.ToString(),
            stderr = stderr.ToString(),
            timed_out = timedOut,
            truncated = stdout.Truncated || stderr.Truncated,
        });
    }

    private static async Task PumpAsync(StreamReader reader, BoundedText sink)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            sink.Append(buffer.AsSpan(0, n));
        }
    }

    private sealed class BoundedText(int max)
    {
        private readonly StringBuilder _text = new();

        public bool Truncated { get; private set; }

        public void Append(ReadOnlySpan<char> chunk)
        {
            var room = max - _text.Length;
            if (chunk.Length > room)
            {
                Truncated = true;
                chunk = chunk[..Math.Max(0, room)];
            }

            _text.Append(chunk);
        }

        public override string ToString() => _text.ToString();
    }
}

/// <summary>Limits of the built-in <c>shell</c> op.</summary>
public sealed class ShellOptions
{
    /// <summary>Default timeout of a command when the call does not pass <c>timeout_seconds</c>. Default 60 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Characters kept of stdout and of stderr each. Default 65,536.</summary>
    public int MaxOutputChars { get; set; } = 65_536;
}
