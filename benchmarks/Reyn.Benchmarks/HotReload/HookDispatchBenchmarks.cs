using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HandlebarsDotNet;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;

namespace Reyn.Benchmarks.HotReload;

/// <summary>
/// The per-turn cost of hooks and hot reload: dispatching one <c>turn_end</c> push hook (guard + message render +
/// <c>hook_fired</c> event) against rendering the same compiled Handlebars template directly (what a user would write
/// by hand), and the turn-boundary <c>ApplyPendingAsync</c> when nothing is pending.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class HookDispatchBenchmarks
{
    private const string Message = "Skill {{skill}} ended with {{status}}";
    private const string Guard = "{{#if (eq status \"failed\")}}true{{/if}}";

    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithWarmupCount(2).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private readonly Dictionary<string, object?> _context = new() { ["skill"] = "triage", ["status"] = "failed" };
    private HandlebarsTemplate<object, object> _message = null!;
    private HandlebarsTemplate<object, object> _guard = null!;
    private HookDispatcher _dispatcher = null!;
    private HotReloader _reloader = null!;
    private string _root = null!;

    [GlobalSetup]
    public void Setup()
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        handlebars.RegisterHelper("eq", (HandlebarsReturnHelper)((_, args) => Equals(args[0]?.ToString(), args[1]?.ToString())));
        _message = handlebars.Compile(Message);
        _guard = handlebars.Compile(Guard);
        var events = new EventLog(new EventPipeline());
        var layer = HookLayer.FromDefinitions(HookLayerKind.Runtime, ".reyn/hooks.yaml", [new HookDefinition(HookPoint.TurnEnd, Message, Wake: false, PushWhen: Guard, Name: "recap")]);
        _dispatcher = new HookDispatcher(HookRegistry.Build(null, [layer]), events);
        _root = Path.Combine(Path.GetTempPath(), "reyn-bench-" + Guid.NewGuid().ToString("N")[..8], ".reyn");
        _reloader = new HotReloader(new InSetLoader(_root), events);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var parent = Path.GetDirectoryName(_root)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    /// <summary>Guard + message rendered by hand with Handlebars.Net.</summary>
    [Benchmark(Baseline = true)]
    public string HandlebarsDirect() => _guard(_context).Length > 0 ? _message(_context) : string.Empty;

    /// <summary>The same hook through <see cref="HookDispatcher"/> (guard, render, attribution, <c>hook_fired</c>).</summary>
    [Benchmark]
    public int ReynDispatch() => _dispatcher.Dispatch(HookPoint.TurnEnd, _context).RideAlong.Count;

    /// <summary>The turn-boundary call when no reload was requested.</summary>
    [Benchmark]
    public bool ReynApplyPendingNothingPending() => _reloader.ApplyPendingAsync().Result is null;
}
