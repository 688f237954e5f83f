namespace Reyn.Runtime;

/// <summary>
/// One op kind a phase can call through <see cref="PhaseContext.CallOpAsync(string, object?, CancellationToken)"/>.
/// Register a custom op with <c>services.AddReynOp&lt;T&gt;()</c>.
/// </summary>
/// <remarks>
/// The runtime checks permissions, emits events and writes durable steps around <see cref="ExecuteAsync"/>; the op
/// itself only does its work. Throwing is allowed: the runtime turns an exception into a <c>tool_failed</c> event and
/// an error <see cref="OpResult"/> of kind <c>exception</c>. Ops that touch files also implement
/// <see cref="IFileAccessOp"/> so their paths are checked against the skill's file zones before they run.
/// </remarks>
public interface IOp
{
    /// <summary>The op kind, for example <c>read_file</c>. Lower-case, unique in the registry.</summary>
    string Kind { get; }

    /// <summary>The purity class; unknown or doubtful ops should say <see cref="OpPurity.SideEffect"/>.</summary>
    OpPurity Purity { get; }

    /// <summary>Runs the op.</summary>
    ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken);
}
