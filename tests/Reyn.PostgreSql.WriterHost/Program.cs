using Reyn.Events;
using Reyn.PostgreSql;

// Usage: Reyn.PostgreSql.WriterHost <connection-string> <schema> <count> <agent-tag>
// Prints "ready", waits for a line on stdin (the start signal), emits <count> events through EventLog ->
// PostgresActivitySink in small batches, disposes the sink and prints "written=<n> dropped=<n>".
if (args.Length != 4 || !int.TryParse(args[2], out var count))
{
    Console.Error.WriteLine("usage: Reyn.PostgreSql.WriterHost <connection-string> <schema> <count> <agent-tag>");
    return 2;
}

var sink = new PostgresActivitySink(new ReynPostgreSqlOptions { ConnectionString = args[0], Schema = args[1], BatchSize = 50 });
var pipeline = new EventPipeline();
pipeline.AddSink(sink);
var log = new EventLog(pipeline, new EventContext(Agent: args[3]));

Console.WriteLine("ready");
Console.Out.Flush();
Console.ReadLine();

for (var i = 0; i < count; i++)
{
    log.Emit(EventTypes.ToolCalled, new EventData { ["op"] = "op" + i, ["writer"] = args[3] + "_marker" });
    if (i % 100 == 99)
    {
        await Task.Yield();
    }
}

await sink.DisposeAsync();
Console.WriteLine($"written={sink.WrittenCount} dropped={sink.DroppedCount} error={sink.LastError}");
return sink.DroppedCount == 0 ? 0 : 1;
