using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Events.Jsonl;

// Minimal quickstart: emit a few events through the host's EventLog. Later issues grow this into a full skill run.
var root = Path.Combine(Directory.GetCurrentDirectory(), ".reyn");
await using var services = new ServiceCollection()
    .AddReynEvents(options => options.RootDirectory = root)
    .BuildServiceProvider();

var log = services.GetRequiredService<EventLog>();
log.Emit(EventTypes.ChatStarted, new EventData { [EventFields.SessionId] = "quickstart" });
log.Emit(EventTypes.ChatStopped, new EventData { [EventFields.SessionId] = "quickstart" });
await log.Pipeline.FlushAsync();

var audit = services.GetRequiredService<JsonlAuditSink>();
Console.WriteLine($"Emitted {log.LastAuditSeq} events from emitter {log.Emitter}; root {root}");
Console.WriteLine($"events saved → {audit.LastWrittenFile} ({audit.WrittenCount} written, {audit.DroppedCount} dropped)");
