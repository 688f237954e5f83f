namespace Reyn.Events.Internal;

/// <summary>
/// <see cref="TimeProvider.System"/>'s local time without a time-zone lookup on every call: the UTC offset is looked
/// up once per UTC second (zone transitions fall on whole seconds) and reused within it. The emit path stamps every
/// event with local time, and the lookup was a visible part of its cost.
/// </summary>
internal sealed class SystemLocalClock
{
    private Window? _window;

    /// <summary>The same value as <c>TimeProvider.System.GetLocalNow()</c>.</summary>
    public DateTimeOffset GetLocalNow()
    {
        var utc = DateTime.UtcNow;
        var ticks = utc.Ticks;
        var window = Volatile.Read(ref _window);
        if (window is null || ticks - window.SecondTicks is < 0 or >= TimeSpan.TicksPerSecond)
        {
            window = new Window(ticks - (ticks % TimeSpan.TicksPerSecond), TimeZoneInfo.Local.GetUtcOffset(utc));
            Volatile.Write(ref _window, window);
        }

        return new DateTimeOffset(ticks + window.Offset.Ticks, window.Offset);
    }

    private sealed record Window(long SecondTicks, TimeSpan Offset);
}
