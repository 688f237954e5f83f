using Reyn.Events;
using Reyn.Events.ActivityStore;

// Usage: Reyn.Events.ActivityWriterHost <db-path> <count> <agent-tag>
// Prints "ready", waits for a line on stdin (the start signal), emits <count> events through EventLog -> ActivitySink
// in small batches, disposes the sink and prints "written=<n> dropped=<n>".
if (args.Length != 3 || !int.TryParse(args[1], out var count))
{
    Console.Error.WriteLine("usage: Reyn.Events.ActivityWriterHost <db-path> <count> <agent-tag>");
    return 2;
}

var sink = new ActivitySink(args[0], new ActivityStoreOptions { BatchSize = 25, BusyTimeout = TimeSpan.FromSeconds(30) });
var pipeline = new EventPipeline();
pipeline.AddSink(sink);
var log = new EventLog(pipeline, new EventContext(Agent: args[2]));

Console.WriteLine("ready");
Console.Out.Flush();
Console.ReadLine();

for (var i = 0; i < count; i++)
{
    log.Emit(EventTypes.ToolCalled, new EventData { ["op"] = "op" + i });
    if (i % 100 == 99)
    {
        await Task.Yield();
    }
}

await sink.DisposeAsync();
Console.WriteLine($"written={sink.WrittenCount} dropped={sink.DroppedCount} error={sink.LastError}");
return sink.DroppedCount == 0 ? 0 : 1;
