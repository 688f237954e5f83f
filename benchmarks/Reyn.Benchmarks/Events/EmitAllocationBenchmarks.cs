using BenchmarkDotNet.Attributes;
using Reyn.Events;

namespace Reyn.Benchmarks.Events;

/// <summary>
/// Caller-side cost of <see cref="EventLog.Emit"/> (stamp, audit_seq, sanitize, fan-out) with a sink that only
/// counts, reusing one payload so that only Emit's own allocations are measured: the <see cref="ReynEvent"/> and the
/// boxed <c>audit_seq</c> (2 objects, 72 bytes on x64). The second case adds building a fresh payload per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class EmitAllocationBenchmarks
{
    private EventLog _log = null!;
    private EventData _payload = null!;

    [GlobalSetup]
    public void Setup()
    {
        var pipeline = new EventPipeline();
        pipeline.AddSink(new CountingSink());
        _log = new EventLog(pipeline, new EventContext(RunId: "run", Agent: "agent", Skill: "skill", Phase: "act"));
        _payload = new EventData(12) { ["op"] = "read_file", ["visit_count"] = 1, ["path"] = "/srv/app/src/file.cs" };
    }

    [Benchmark(Baseline = true, Description = "Emit (reused payload)")]
    public ReynEvent EmitReusedPayload() => _log.Emit(EventTypes.ToolCalled, _payload);

    [Benchmark(Description = "Emit (new payload per event)")]
    public ReynEvent EmitNewPayload() => _log.Emit(EventTypes.ToolCalled, new EventData(12) { ["op"] = "read_file", ["visit_count"] = 1, ["path"] = "/srv/app/src/file.cs" });

    private sealed class CountingSink : IEventSink
    {
        public long Count;

        public void Write(ReynEvent evt) => Count++;
    }
}
