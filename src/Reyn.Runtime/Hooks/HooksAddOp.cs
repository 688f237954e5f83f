using System.Text.Json;

namespace Reyn.Runtime.Hooks;

/// <summary>
/// The <c>hooks_add</c> op (purity: side effect) over <see cref="HooksAddOperation"/>. Like every op it runs only when
/// the skill's permissions list it (<c>AllowOps("hooks_add")</c>) and the capability profile does not deny it
/// (<c>tool_deny: [hooks_add]</c>). Register it with <c>services.AddSingleton&lt;IOp&gt;(new HooksAddOp(...))</c>.
/// </summary>
public sealed class HooksAddOp : IOp
{
    private readonly HooksAddOperation _operation;

    /// <summary>Creates the op over the session's <see cref="HooksAddOperation"/>.</summary>
    public HooksAddOp(HooksAddOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _operation = operation;
    }

    /// <inheritdoc />
    public string Kind => HooksAddOperation.OpName;

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.SideEffect;

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        using var document = JsonDocument.Parse(invocation.Arguments.Json.ToJsonString());
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        var result = await _operation.ExecuteAsync(arguments, cancellationToken).ConfigureAwait(false);
        return result.Ok ? OpResult.Ok(result.ToPayload()) : OpResult.Fail(HooksAddResult.InvalidHookKind, result.Error ?? "invalid hook");
    }
}
