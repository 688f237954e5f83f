using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;

namespace Reyn.Runtime.Tests.Support;

/// <summary>
/// One "process lifetime" of a runtime over a fixed directory: dispose it (closing the WAL) and build another on the same
/// directory to play a restart.
/// </summary>
public sealed class ResumeHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public ResumeHost(string directory, SkillDefinition skill, Action<IServiceCollection>? services = null, Action<ReynOptions>? configure = null, FakeChatClient? chat = null)
    {
        Chat = chat ?? new FakeChatClient();
        var collection = new ServiceCollection();
        collection.AddSingleton<IEventSink>(Sink);
        collection.AddSingleton<IChatClient>(Chat);
        services?.Invoke(collection);
        collection.AddReyn(o =>
        {
            o.RootDirectory = Path.Combine(directory, ".reyn");
            o.WorkspaceDirectory = Path.Combine(directory, "workspace");
            configure?.Invoke(o);
        });
        collection.AddReynSkill(skill);
        _provider = collection.BuildServiceProvider();
        Runtime = _provider.GetRequiredService<ReynRuntime>();
        Root = Path.Combine(directory, ".reyn");
    }

    public ReynRuntime Runtime { get; }

    public RecordingSink Sink { get; } = new();

    public FakeChatClient Chat { get; }

    public string Root { get; }

    public string SkillRunsDirectory => Path.Combine(Root, "agents", "main", "state", "skills");

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>A side-effect op that counts its executions; <see cref="CancelOn"/> makes one call die mid-flight (ambiguous step).</summary>
public sealed class CountingOp(string kind = "effect", OpPurity purity = OpPurity.SideEffect) : IOp
{
    private int _calls;

    public int Calls => _calls;

    public string Kind => kind;

    public OpPurity Purity => purity;

    /// <summary>When set, the call with this argument cancels the run while the op runs (after its durable start).</summary>
    public (string Tag, CancellationTokenSource Run)? CancelOn { get; set; }

    public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var tag = invocation.Arguments.GetOptionalString("tag") ?? string.Empty;
        if (CancelOn is { } cancel && cancel.Tag == tag)
        {
            CancelOn = null;
            cancel.Run.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        Interlocked.Increment(ref _calls);
        return ValueTask.FromResult(OpResult.Ok(new { tag, n = _calls }));
    }
}
