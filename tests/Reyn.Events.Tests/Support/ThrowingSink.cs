namespace Reyn.Events.Tests.Support;

/// <summary>A sink that breaks its contract by throwing on every write.</summary>
public sealed class ThrowingSink : IEventSink
{
    public int Calls { get; private set; }

    public void Write(ReynEvent evt)
    {
        Calls++;
        throw new InvalidOperationException("broken sink");
    }
}
