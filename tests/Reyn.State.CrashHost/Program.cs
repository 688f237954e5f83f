using Reyn.Events;
using Reyn.State;

// Usage: Reyn.State.CrashHost <wal path> <writers>
// Prints "ready <last seq>" after opening, then "ack <seq> <writer> <i>" for every acknowledged append, until killed.
var path = args[0];
var writers = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var output = Console.Out;
await using var log = FileStateLog.Open(new FileStateLogOptions { Path = path, Durability = DurabilityMode.Always });
var gate = new object();
lock (gate)
{
    output.WriteLine($"ready {log.LastDurableSeq}");
    output.Flush();
}

var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    var payload = new string((char)('a' + w % 26), 40 + (w * 37 % 200));
    for (var i = 0; ; i++)
    {
        var seq = await log.AppendAsync(WalKinds.StepCompleted, new EventData { ["writer"] = w, ["i"] = i, ["payload"] = payload });
        lock (gate)
        {
            output.WriteLine($"ack {seq} {w} {i}");
            output.Flush();
        }
    }
}));
await Task.WhenAll(tasks);
