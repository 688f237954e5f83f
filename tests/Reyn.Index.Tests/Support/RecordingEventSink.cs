using Reyn.Events;

namespace Reyn.Index.Tests.Support;

/// <summary>Keeps every event it receives (synchronously), for assertions.</summary>
public sealed class RecordingEventSink : IEventSink
{
    private readonly List<ReynEvent> _events = [];

    public IReadOnlyList<ReynEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Write(ReynEvent evt)
    {
        lock (_events)
        {
            _events.Add(evt);
        }
    }

    public static (EventLog Log, RecordingEventSink Sink) CreateLog()
    {
        var pipeline = new EventPipeline();
        var sink = new RecordingEventSink();
        pipeline.AddSink(sink);
        return (new EventLog(pipeline), sink);
    }
}
