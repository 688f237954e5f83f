using System.Text.Json;
using Reyn.Runtime.Internal;
using Reyn.State;

namespace Reyn.Runtime.Resume.Internal;

/// <summary>
/// The memo of a resumed run: the committed steps of its current phase visit (and the ambiguous steps the
/// <c>skip</c> policy turned into <c>{"status":"skipped"}</c>), keyed by (op_invocation_id, phase, args_hash).
/// A step whose arguments changed (another args hash) is not served: it runs again.
/// </summary>
internal sealed class WalStepMemo : IStepMemo
{
    private readonly Dictionary<(string Id, string Phase, string Hash), JsonElement> _steps = [];
    private int _served;

    public static JsonElement Skipped { get; } = JsonDocument.Parse("""{"status":"skipped"}""").RootElement.Clone();

    /// <summary>How many steps were served.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>Steps available.</summary>
    public int Count => _steps.Count;

    public void Add(CommittedStep step)
    {
        if (step.Phase is null || step.ArgsHash is null)
        {
            return;
        }

        var result = step.Failed
            ? RuntimeJson.ToElement(new Dictionary<string, object?>
            {
                ["status"] = "error",
                ["error"] = new Dictionary<string, object?> { ["kind"] = step.ErrorKind ?? "exception", ["message"] = step.ErrorMessage ?? string.Empty },
            })
            : step.Result ?? RuntimeJson.ToElement(new Dictionary<string, object?> { ["status"] = "ok" });
        _steps[(step.OpInvocationId, step.Phase, step.ArgsHash)] = result; // later records win
    }

    public void AddSkipped(AmbiguousStep step)
    {
        if (step.Phase is not null && step.ArgsHash is not null)
        {
            _steps[(step.OpInvocationId, step.Phase, step.ArgsHash)] = Skipped;
        }
    }

    public bool TryGet(string opInvocationId, string phase, string argsHash, out JsonElement result)
    {
        if (_steps.TryGetValue((opInvocationId, phase, argsHash), out result))
        {
            Interlocked.Increment(ref _served);
            return true;
        }

        return false;
    }
}
