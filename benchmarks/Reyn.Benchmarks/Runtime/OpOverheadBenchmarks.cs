using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Runtime;
using Reyn.Runtime.Internal;
using Reyn.State;

namespace Reyn.Benchmarks.Runtime;

/// <summary>
/// What the runtime adds to one call of a trivial side-effect op: lookup, permission check, events
/// (permission_granted, tool_called, tool_returned through the real pipeline and JSONL audit sink), args hash and the
/// durable step records (step_started + step_completed in the real FileStateLog, Batched mode) — against calling the
/// op directly, which is what a host would do without Reyn. The last case adds the optional activity store
/// (<c>ReynCompositionOptions.ActivityStore</c>, on by default): its SQLite writer indexes the same three events per op on
/// a background thread, which on a 2-core machine competes with the caller for CPU.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class OpOverheadBenchmarks
{
    private readonly NoopOp _op = new();
    private string _root = string.Empty;
    private ServiceProvider? _batched;
    private ServiceProvider? _noWal;
    private ServiceProvider? _withActivityStore;
    private RunState? _batchedRun;
    private RunState? _noWalRun;
    private RunState? _withActivityStoreRun;
    private OpInvocation? _direct;

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), "reyn-bench-" + Guid.NewGuid().ToString("N")[..8]);
        (_batched, _batchedRun) = Build(Path.Combine(_root, "batched"), DurabilityMode.Batched, activityStore: false);
        (_noWal, _noWalRun) = Build(Path.Combine(_root, "nowal"), null, activityStore: false);
        (_withActivityStore, _withActivityStoreRun) = Build(Path.Combine(_root, "activity"), DurabilityMode.Batched, activityStore: true);
        _direct = new OpInvocation(new OpArguments(new System.Text.Json.Nodes.JsonObject { ["key"] = "k", ["value"] = 1 }), new Workspace(_root));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batched?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _noWal?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _withActivityStore?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Benchmark(Baseline = true, Description = "op called directly")]
    public ValueTask<OpResult> Direct() => _op.ExecuteAsync(_direct!, CancellationToken.None);

    [Benchmark(Description = "runtime: permissions + events + WAL (Batched)")]
    public ValueTask<OpResult> RuntimeBatchedWal() => OpCallPipeline.CallAsync(_batchedRun!, "noop", Args, CancellationToken.None);

    [Benchmark(Description = "runtime: permissions + events, WAL off")]
    public ValueTask<OpResult> RuntimeNoWal() => OpCallPipeline.CallAsync(_noWalRun!, "noop", Args, CancellationToken.None);

    [Benchmark(Description = "runtime: permissions + events + WAL (Batched) + activity store")]
    public ValueTask<OpResult> RuntimeBatchedWalWithActivityStore() => OpCallPipeline.CallAsync(_withActivityStoreRun!, "noop", Args, CancellationToken.None);

    private static readonly Dictionary<string, object?> Args = new() { ["key"] = "k", ["value"] = 1 };

    private (ServiceProvider, RunState) Build(string root, DurabilityMode? durability, bool activityStore)
    {
        var services = new ServiceCollection()
            .AddSingleton<IOp>(_op)
            .AddReyn(o =>
            {
                o.RootDirectory = root;
                o.WalDurability = durability;
                o.Packages.ActivityStore = activityStore;
            })
            .BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<ReynOptions>>().Value;
        var skill = Skill.Create("bench").Permissions(p => p.AllowOps("noop")).Phase("work", _ => Task.FromResult(PhaseResult.Finish())).Build();
        var events = services.GetRequiredService<EventLog>();
        var run = new RunState
        {
            RunId = "bench_run",
            Skill = skill,
            Agent = options.Agent,
            Events = events.WithContext(new EventContext(RunId: "bench_run", Agent: options.Agent, Skill: "bench")),
            Wal = durability is null ? null : services.GetRequiredService<IStateLog>(),
            Workspace = new Workspace(Path.Combine(root, "ws")),
            Permissions = new PermissionChecker("bench", skill.Permissions, options.Permissions),
            Ops = services.GetRequiredService<OpRegistry>(),
            ChatClient = null,
            Options = options,
            Time = TimeProvider.System,
            Services = services,
            Logger = NullLogger.Instance,
            AgentStateDirectory = options.ResolveAgentStateDirectory(),
        };
        run.EnterPhase("work", 1, new PhaseBudget());
        return (services, run);
    }

    /// <summary>A trivial side-effect op: does nothing and says so.</summary>
    public sealed class NoopOp : IOp
    {
        private static readonly OpResult Done = OpResult.Ok();

        public string Kind => "noop";

        public OpPurity Purity => OpPurity.SideEffect;

        public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken) => ValueTask.FromResult(Done);
    }
}
