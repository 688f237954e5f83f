using Reyn.Events.ActivityStore;

namespace Reyn.Events.Tests.ActivityStore;

public sealed class ActivityTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 18, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("24h", 24 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("90s", 90)]
    [InlineData("2w", 14 * 86400)]
    public void Parse_RelativeAge_IsThatLongBeforeNow(string text, int seconds) =>
        ActivityTime.Parse(text, Now).Should().Be(Now.AddSeconds(-seconds));

    [Theory]
    [InlineData("2026-05-01", "2026-05-01T00:00:00+00:00")]
    [InlineData("2026-05-01T12:30:00Z", "2026-05-01T12:30:00+00:00")]
    [InlineData("2026-05-01T12:30:00+02:00", "2026-05-01T10:30:00+00:00")]
    public void Parse_Iso8601_IsThatInstant(string text, string expected) =>
        ActivityTime.Parse(text, Now).Should().Be(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("30x")]
    [InlineData("1.5h")]
    [InlineData("-3d")]
    [InlineData("")]
    [InlineData("2026-13-45")]
    public void Parse_Garbage_ThrowsSayingWhatIsAccepted(string text)
    {
        var act = () => ActivityTime.Parse(text, Now);

        act.Should().Throw<FormatException>().WithMessage("*is not a time*30m, 24h or 7d*ISO-8601*");
    }
}
