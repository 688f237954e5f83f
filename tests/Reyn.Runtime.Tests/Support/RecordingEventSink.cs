using Reyn.Events;

namespace Reyn.Runtime.Tests.Support;

/// <summary>Keeps every event it receives (sinks are called inline by the pipeline).</summary>
internal sealed class RecordingEventSink : IEventSink
{
    private readonly Lock _gate = new();
    private readonly List<ReynEvent> _events = [];

    public IReadOnlyList<ReynEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToArray();
            }
        }
    }

    public IReadOnlyList<ReynEvent> OfType(string type) => Events.Where(e => e.Type == type).ToArray();

    public void Write(ReynEvent evt)
    {
        lock (_gate)
        {
            _events.Add(evt);
        }
    }

    /// <summary>An emitter whose events land in a new sink.</summary>
    public static (EventLog Log, RecordingEventSink Sink) CreateLog()
    {
        var sink = new RecordingEventSink();
        var pipeline = new EventPipeline();
        pipeline.AddSink(sink);
        return (new EventLog(pipeline), sink);
    }
}
