using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Runtime;

namespace Reyn.Samples.Quickstart;

/// <summary>
/// Demo flags for crash resume: <c>--step-delay &lt;ms&gt;</c> pauses before each op (so you can kill the process by
/// hand mid-run) and <c>--crash-after &lt;n&gt;</c> kills this process (SIGKILL) right after the n-th op.
/// </summary>
internal sealed class OpPacing(TimeSpan delay, int? crashAfter)
{
    private readonly TimeSpan _delay = delay;
    private readonly int? _crashAfter = crashAfter;
    private int _ops;

    public static OpPacing? FromArgs(string[] args)
    {
        var delay = 0;
        int? crash = null;
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--step-delay")
            {
                delay = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--crash-after")
            {
                crash = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return delay > 0 || crash is not null ? new OpPacing(TimeSpan.FromMilliseconds(delay), crash) : null;
    }

    /// <summary>Wraps every registered op (built-in and custom) with the pacing.</summary>
    public void Apply(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IOp))
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<IOp>(sp => new PacedOp(Create(sp, descriptor), this));
        }
    }

    private static IOp Create(IServiceProvider sp, ServiceDescriptor d) =>
        (IOp)(d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

    private sealed class PacedOp(IOp inner, OpPacing pacing) : IOp
    {
        public string Kind => inner.Kind;

        public OpPurity Purity => inner.Purity;

        public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
        {
            if (pacing._delay > TimeSpan.Zero)
            {
                Console.WriteLine($"  op {invocation.OpInvocationId} in {pacing._delay.TotalMilliseconds:0} ms (kill me now to try resume)");
                await Task.Delay(pacing._delay, cancellationToken);
            }

            var result = await inner.ExecuteAsync(invocation, cancellationToken);
            if (Interlocked.Increment(ref pacing._ops) == pacing._crashAfter)
            {
                Console.WriteLine($"  --crash-after {pacing._crashAfter}: killing this process after {invocation.OpInvocationId}; run again to resume");
                Console.Out.Flush();
                Process.GetCurrentProcess().Kill(); // SIGKILL: no cleanup, exactly like a crash
            }

            return result;
        }
    }
}
