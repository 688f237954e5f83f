using System.Text;
using BenchmarkDotNet.Attributes;
using Reyn.Events;
using Reyn.Events.Jsonl;
using Reyn.Events.Serialization;
using Serilog;
using Serilog.Formatting.Json;

namespace Reyn.Benchmarks.Events;

/// <summary>
/// Emit-to-disk throughput: 10,000 events per operation, made durable at the end of each operation, written by
/// (a) EventLog + JsonlAuditSink (stamp, sanitize, serialize, background batch write, fsync at FlushAsync);
/// (b) a raw FileStream writing the same pre-serialized lines (Flush(true));
/// (c) Serilog's file sink writing the same events as JSON (JsonFormatter; flushed when the logger is disposed, then
/// fsynced like the other two, so all three cases end with the events durable).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class EventLogToDiskBenchmarks
{
    private const int EventsPerOperation = 10_000;
    private static readonly string[] Ops = ["read_file", "write_file", "shell", "web_fetch"];

    private string _directory = null!;
    private EventPipeline _pipeline = null!;
    private JsonlAuditSink _sink = null!;
    private EventLog _log = null!;
    private FileStream _raw = null!;
    private byte[][] _lines = null!;
    private string _serilogPath = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "reyn-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _pipeline = new EventPipeline();
        _sink = new JsonlAuditSink(Path.Combine(_directory, "events"), new JsonlAuditSinkOptions { QueueCapacity = 1_000_000 });
        _pipeline.AddSink(_sink);
        _log = new EventLog(_pipeline, new EventContext(RunId: RunIds.New("bench"), Agent: "reyn/bench", Skill: "bench", Phase: "act"));

        // The same events, pre-serialized once, for the raw FileStream baseline.
        var template = new EventLog(new EventPipeline(), _log.Context);
        _lines = new byte[EventsPerOperation][];
        for (var i = 0; i < EventsPerOperation; i++)
        {
            var evt = template.Emit(EventTypes.ToolCalled, Payload(i));
            _lines[i] = Encoding.UTF8.GetBytes(EventJsonWriter.ToJson(evt) + "\n");
        }

        _raw = new FileStream(Path.Combine(_directory, "raw.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        _serilogPath = Path.Combine(_directory, "serilog.jsonl");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw FileStream, pre-serialized lines", OperationsPerInvoke = EventsPerOperation)]
    public void RawFileStream()
    {
        var lines = _lines;
        for (var i = 0; i < lines.Length; i++)
        {
            _raw.Write(lines[i]);
        }

        _raw.Flush(flushToDisk: true);
    }

    [Benchmark(Description = "Reyn EventLog + JsonlAuditSink", OperationsPerInvoke = EventsPerOperation)]
    public void ReynEventLog()
    {
        for (var i = 0; i < EventsPerOperation; i++)
        {
            _log.Emit(EventTypes.ToolCalled, Payload(i));
        }

        _pipeline.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Serilog File sink, JsonFormatter", OperationsPerInvoke = EventsPerOperation)]
    public void SerilogFile()
    {
        var logger = new LoggerConfiguration()
            // No size limit: the file sink's default (1 GB) would silently stop writing part-way through a long run.
            .WriteTo.File(new JsonFormatter(renderMessage: false), _serilogPath, buffered: true, fileSizeLimitBytes: null)
            .CreateLogger();
        var context = _log.Context;
        for (var i = 0; i < EventsPerOperation; i++)
        {
            logger.Information(
                "{type} {run_id} {agent} {skill} {phase} {op} {visit_count} {path} {emitter} {audit_seq}",
                EventTypes.ToolCalled, context.RunId, context.Agent, context.Skill, context.Phase, Ops[i & 3], i, "/srv/app/src/file.cs", "0123456789abcdef", (long)i);
        }

        logger.Dispose();
        using var file = new FileStream(_serilogPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Flush(flushToDisk: true);
    }

    private static EventData Payload(int i) => new(12)
    {
        ["op"] = Ops[i & 3],
        ["visit_count"] = i,
        ["path"] = "/srv/app/src/file.cs",
    };
}
