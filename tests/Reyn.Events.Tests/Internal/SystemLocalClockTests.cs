using Reyn.Events.Internal;

namespace Reyn.Events.Tests.Internal;

public sealed class SystemLocalClockTests
{
    [Fact]
    public void GetLocalNow_FreshAndCachedWindow_SameInstantAndOffsetAsTheSystemClock()
    {
        var clock = new SystemLocalClock();
        for (var i = 0; i < 1000; i++)
        {
            var before = DateTimeOffset.UtcNow;
            var now = clock.GetLocalNow();
            var after = DateTimeOffset.UtcNow;

            now.UtcDateTime.Should().BeOnOrAfter(before.UtcDateTime).And.BeOnOrBefore(after.UtcDateTime);
            now.Offset.Should().Be(TimeZoneInfo.Local.GetUtcOffset(now.UtcDateTime));
        }
    }
}
