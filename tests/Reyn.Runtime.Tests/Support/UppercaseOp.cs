namespace Reyn.Runtime.Tests.Support;

/// <summary>A custom pure op, registered with one DI line in tests.</summary>
public sealed class UppercaseOp : IOp
{
    public string Kind => "uppercase";

    public OpPurity Purity => OpPurity.Pure;

    public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken) =>
        ValueTask.FromResult(OpResult.Ok(new { text = invocation.Arguments.GetString("text").ToUpperInvariant() }));
}

/// <summary>A custom op that always throws.</summary>
public sealed class ThrowingOp : IOp
{
    public string Kind => "explode";

    public OpPurity Purity => OpPurity.SideEffect;

    public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("kaboom");
}

/// <summary>A custom external op (calls "another system"): recorded like a side effect.</summary>
public sealed class PublishOp : IOp
{
    public int Calls { get; private set; }

    public string Kind => "publish";

    public OpPurity Purity => OpPurity.External;

    public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        Calls++;
        return ValueTask.FromResult(OpResult.Ok(new { published = invocation.Arguments.GetString("title") }));
    }
}
