namespace Reyn.Runtime;

/// <summary>Everything an <see cref="IOp"/> gets for one call.</summary>
public sealed class OpInvocation
{
    /// <summary>Creates an invocation (the runtime does this; tests and benchmarks may call ops directly).</summary>
    public OpInvocation(OpArguments arguments, Workspace workspace, IServiceProvider? services = null, string? runId = null, string? phase = null, string? opInvocationId = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(workspace);
        Arguments = arguments;
        Workspace = workspace;
        Services = services;
        RunId = runId;
        Phase = phase;
        OpInvocationId = opInvocationId;
    }

    /// <summary>The call's arguments.</summary>
    public OpArguments Arguments { get; }

    /// <summary>The run's workspace; resolve every path through it.</summary>
    public Workspace Workspace { get; }

    /// <summary>The host's services, when the call runs inside a runtime.</summary>
    public IServiceProvider? Services { get; }

    /// <summary>The skill run id, when the call runs inside a skill run.</summary>
    public string? RunId { get; }

    /// <summary>The calling phase.</summary>
    public string? Phase { get; }

    /// <summary>The step id <c>&lt;phase&gt;.&lt;op&gt;.&lt;n&gt;</c>.</summary>
    public string? OpInvocationId { get; }
}
