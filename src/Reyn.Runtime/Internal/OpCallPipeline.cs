using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.State;

namespace Reyn.Runtime.Internal;

/// <summary>
/// One op call inside a phase: lookup (unknown → <c>unknown_tool</c>), arguments, permission check
/// (<c>permission_granted</c>/<c>permission_denied</c>), memo, durable step by purity, the op, events.
/// Never throws for a bad call: every refusal or failure is an error <see cref="OpResult"/>. Only cancellation and
/// WAL failures (<see cref="DurableStepException"/>) propagate, because they stop the run.
/// </summary>
internal static class OpCallPipeline
{
    public static async ValueTask<OpResult> CallAsync(RunState run, string kind, object? args, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref run.OpCalls);
        var events = run.Events;

        if (!run.Ops.TryGet(kind, out var op))
        {
            var suggestion = run.Ops.Suggest(kind);
            var hint = suggestion is null ? string.Empty : $". Did you mean '{suggestion}'?";
            events.Emit(EventTypes.UnknownTool, new EventData(4) { ["op"] = kind, ["hint"] = hint, ["suggestion"] = suggestion });
            return OpResult.Fail("unknown_tool", $"Unknown op '{kind}'{hint} Registered ops: {string.Join(", ", run.Ops.Kinds)}.");
        }

        OpArguments arguments;
        IReadOnlyList<PathAccess> accesses;
        try
        {
            arguments = OpArguments.From(args);
            accesses = op is IFileAccessOp fileOp ? fileOp.DescribeFileAccess(arguments) : [];
        }
        catch (Exception ex) when (ex is OpArgumentException or JsonException or NotSupportedException)
        {
            events.Emit(EventTypes.ToolFailed, new EventData(4) { ["op"] = kind, ["error_kind"] = "invalid_args", ["error"] = ex.Message });
            return OpResult.Fail("invalid_args", ex.Message);
        }

        var decision = run.Permissions.CheckKind(kind);
        if (decision.Allowed)
        {
            foreach (var access in accesses)
            {
                decision = run.Permissions.CheckPath(run.Workspace, access);
                if (!decision.Allowed)
                {
                    break;
                }
            }
        }

        if (!decision.Allowed)
        {
            events.Emit(EventTypes.PermissionDenied, new EventData(5) { ["op"] = kind, ["reason"] = decision.Reason, ["path"] = decision.Path });
            return OpResult.Fail("permission_denied", decision.Reason!);
        }

        events.Emit(EventTypes.PermissionGranted, new EventData(3) { ["op"] = kind });

        var purity = op.Purity;
        var stepId = run.NextStepId(kind);
        var argsHash = ArgsHash.Compute(arguments.Json);
        var durable = run.Wal is not null;

        if (purity is not OpPurity.World and not OpPurity.Pure && run.Memo is { } memo && memo.TryGet(stepId, run.Phase, argsHash, out var recorded))
        {
            events.Emit(EventTypes.StepMemoized, new EventData(5) { ["op"] = kind, ["op_invocation_id"] = stepId, ["args_hash"] = argsHash, ["op_kind"] = kind });
            return OpResult.FromJson(recorded);
        }

        var sideEffect = purity is OpPurity.SideEffect or OpPurity.External;
        if (sideEffect)
        {
            events.Emit(EventTypes.ToolCalled, new EventData(5) { ["op"] = kind, ["op_invocation_id"] = stepId, ["purity"] = PurityName(purity), ["args_hash"] = argsHash });
            if (durable)
            {
                var started = StepWriter.StepFields(run, stepId, kind, argsHash);
                started["args"] = arguments.Json;
                await StepWriter.AppendAsync(run, WalKinds.StepStarted, started, stepId, cancellationToken).ConfigureAwait(false);
            }
        }

        OpResult result;
        try
        {
            result = await op.ExecuteAsync(new OpInvocation(arguments, run.Workspace, run.Services, run.RunId, run.Phase, stepId), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OpArgumentException ex)
        {
            result = OpResult.Fail("invalid_args", ex.Message);
        }
        catch (WorkspaceEscapeException ex)
        {
            result = OpResult.Fail("permission_denied", ex.Message);
        }
        catch (Exception ex)
        {
            run.Logger.LogDebug(ex, "Op {Op} threw", kind);
            result = OpResult.Fail("exception", $"{ex.GetType().Name}: {ex.Message}");
        }

        if (result.IsOk)
        {
            events.Emit(EventTypes.ToolReturned, new EventData(5) { ["op"] = kind, ["op_invocation_id"] = stepId, ["purity"] = PurityName(purity), ["status"] = "ok" });
        }
        else
        {
            events.Emit(EventTypes.ToolFailed, new EventData(6) { ["op"] = kind, ["op_invocation_id"] = stepId, ["purity"] = PurityName(purity), ["error_kind"] = result.Error!.Kind, ["error"] = result.Error.Message });
        }

        if (durable && purity != OpPurity.Pure)
        {
            if (!result.IsOk && sideEffect)
            {
                var failed = StepWriter.StepFields(run, stepId, kind, argsHash);
                failed["error_kind"] = result.Error!.Kind;
                failed["message"] = result.Error.Message;
                failed["result"] = result.ToWalValue();
                await StepWriter.AppendAsync(run, WalKinds.StepFailed, failed, stepId, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var completed = StepWriter.StepFields(run, stepId, kind, argsHash);
                completed["result"] = result.ToWalValue();
                await StepWriter.AppendAsync(run, WalKinds.StepCompleted, completed, stepId, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    public static string PurityName(OpPurity purity) => purity switch
    {
        OpPurity.Pure => "pure",
        OpPurity.World => "world",
        OpPurity.SideEffect => "side_effect",
        OpPurity.External => "external",
        _ => "llm",
    };
}
