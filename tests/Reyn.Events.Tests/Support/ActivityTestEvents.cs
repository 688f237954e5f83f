using Reyn.Events;

namespace Reyn.Events.Tests.Support;

/// <summary>Builds events with a chosen timestamp for activity store and replay tests.</summary>
internal static class ActivityTestEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 18, 10, 0, 0, TimeSpan.Zero);

    public static ReynEvent Make(string type, DateTimeOffset timestamp, params (string Key, object? Value)[] fields)
    {
        var data = new EventData();
        foreach (var (key, value) in fields)
        {
            data.Set(key, value);
        }

        return new ReynEvent(type, timestamp, data);
    }
}
