namespace Reyn.Scheduling.Tests;

public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset NewYear2026 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero); // a Thursday
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData("0 9 * * MON", 2026, 1, 5, 9, 0)]
    [InlineData("0 9 * * mon-fri", 2026, 1, 1, 9, 0)]
    [InlineData("0 0 1 JAN *", 2027, 1, 1, 0, 0)]
    [InlineData("0 */6 * * *", 2026, 1, 1, 6, 0)]
    [InlineData("@daily", 2026, 1, 2, 0, 0)]
    [InlineData("@hourly", 2026, 1, 1, 1, 0)]
    [InlineData("0 0 29 2 *", 2028, 2, 29, 0, 0)]
    [InlineData("0 12 31 * *", 2026, 1, 31, 12, 0)]
    public void GetNextOccurrence_FiveFieldForms_ReturnsFirstMatchAfter(string expression, int year, int month, int day, int hour, int minute)
    {
        var schedule = CronSchedule.Parse(expression);

        schedule.IncludesSeconds.Should().BeFalse();
        schedule.GetNextOccurrence(NewYear2026).Should().Be(Utc(year, month, day, hour, minute));
    }

    [Fact]
    public void GetNextOccurrence_SixFieldSecondsForm_FiresOnSeconds()
    {
        var schedule = CronSchedule.Parse("*/20 * * * * *");

        schedule.IncludesSeconds.Should().BeTrue();
        schedule.GetNextOccurrence(NewYear2026).Should().Be(Utc(2026, 1, 1, 0, 0, 20));
        schedule.GetNextOccurrence(Utc(2026, 1, 1, 0, 0, 40)).Should().Be(Utc(2026, 1, 1, 0, 1, 0));
    }

    [Theory]
    [InlineData("*/15 7 * * * *", 22, 0, 0, 22, 7, 0)]
    [InlineData("*/15 7 * * * *", 22, 7, 0, 22, 7, 15)]
    [InlineData("5,35 * 3 * * *", 22, 0, 0, 3, 0, 5)]
    [InlineData("0 */17 * * * *", 22, 0, 30, 22, 17, 0)]
    public void GetNextOccurrence_SixFieldWhenMinuteMovesOn_StartsAtFirstSecond(string expression, int hour, int minute, int second, int expectedHour, int expectedMinute, int expectedSecond)
    {
        // Regression: NCrontab 3.3.2 alone answers 22:07:15 for the first case (found by the Quartz comparison).
        var schedule = CronSchedule.Parse(expression);
        var after = new DateTimeOffset(2024, 2, 28, hour, minute, second, TimeSpan.Zero);
        var expectedDay = expectedHour < hour ? 29 : 28;

        schedule.GetNextOccurrence(after).Should().Be(new DateTimeOffset(2024, 2, expectedDay, expectedHour, expectedMinute, expectedSecond, TimeSpan.Zero));
    }

    [Fact]
    public void GetNextOccurrence_BothDayFieldsRestricted_MatchesEitherLikeVixieCron()
    {
        // The 13th OR any Friday: Friday 2 January comes first, then Friday 9, then Tuesday 13.
        var schedule = CronSchedule.Parse("0 0 13 * FRI");

        schedule.GetNextOccurrence(NewYear2026).Should().Be(Utc(2026, 1, 2, 0));
        schedule.GetNextOccurrence(Utc(2026, 1, 9, 0)).Should().Be(Utc(2026, 1, 13, 0));
    }

    [Fact]
    public void GetNextOccurrence_DayOfWeekStepWithStarDayOfMonth_KeepsAndSemantics()
    {
        var schedule = CronSchedule.Parse("0 0 * * SAT");

        schedule.GetNextOccurrence(NewYear2026).Should().Be(Utc(2026, 1, 3, 0));
    }

    [Theory]
    [InlineData("61 * * * *", "Minute")]
    [InlineData("0 25 * * *", "Hour")]
    [InlineData("0 0 * 13 *", "Month")]
    [InlineData("0 0 * * FUNDAY", "DayOfWeek")]
    [InlineData("0 0 * * 7", "Sunday is 0")]
    [InlineData("* * * *", "has 4 field(s)")]
    [InlineData("* * * * * * *", "has 7 field(s)")]
    [InlineData("   ", "empty")]
    [InlineData("@fortnightly", "not a known macro")]
    [InlineData("0 0 30 2 *", "never matches a date")]
    public void TryParse_BadExpression_ExplainsWhatIsWrong(string expression, string expectedReason)
    {
        CronSchedule.TryParse(expression, out var schedule, out var error).Should().BeFalse();

        schedule.Should().BeNull();
        error.Should().Contain(expectedReason);
        if (!string.IsNullOrWhiteSpace(expression))
        {
            error.Should().Contain(expression.Trim());
        }
    }

    [Fact]
    public void Parse_BadExpression_ThrowsFormatExceptionWithFieldHint()
    {
        var act = () => CronSchedule.Parse("0 9 * *");

        act.Should().Throw<FormatException>().WithMessage("*has 4 field(s)*minute hour day-of-month month day-of-week*");
    }

    [Fact]
    public void GetNextOccurrence_NewYorkSpringForwardSkippedTime_FiresAtTransitionOnce()
    {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT (07:00Z). 02:30 does not exist that day.
        var schedule = CronSchedule.Parse("30 2 * * *");

        var first = schedule.GetNextOccurrence(Utc(2026, 3, 8, 5), NewYork);
        var second = schedule.GetNextOccurrence(first!.Value, NewYork);

        first.Should().Be(Utc(2026, 3, 8, 7));
        second.Should().Be(Utc(2026, 3, 9, 6, 30)); // 02:30 EDT the next day
    }

    [Fact]
    public void GetNextOccurrence_SeveralSkippedWallTimes_CollapseIntoOneRunAtTransition()
    {
        var schedule = CronSchedule.Parse("*/20 * * * *");
        var fires = Walk(schedule, NewYork, Utc(2026, 3, 8, 6, 30), 4);

        // 01:40 EST, then 02:00/02:20/02:40 (skipped) and 03:00 EDT all at 07:00Z, then 03:20 EDT.
        fires.Should().Equal(Utc(2026, 3, 8, 6, 40), Utc(2026, 3, 8, 7), Utc(2026, 3, 8, 7, 20), Utc(2026, 3, 8, 7, 40));
    }

    [Fact]
    public void GetNextOccurrence_NewYorkFallBackRepeatedHour_FiresEachWallTimeOnceAtFirstOccurrence()
    {
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:00-01:59 happen twice (05:00Z-05:59Z, then 06:00Z-06:59Z).
        var hourly = Walk(CronSchedule.Parse("0 * * * *"), NewYork, Utc(2026, 11, 1, 3, 30), 4);
        var fixedTime = Walk(CronSchedule.Parse("30 1 * * *"), NewYork, Utc(2026, 11, 1, 3), 2);

        hourly.Should().Equal(Utc(2026, 11, 1, 4), Utc(2026, 11, 1, 5), Utc(2026, 11, 1, 7), Utc(2026, 11, 1, 8));
        fixedTime.Should().Equal(Utc(2026, 11, 1, 5, 30), Utc(2026, 11, 2, 6, 30));
    }

    [Fact]
    public void GetNextOccurrence_StartingInsideSecondPassOfRepeatedHour_DoesNotRepeatWallTimes()
    {
        var schedule = CronSchedule.Parse("*/15 * * * *");

        // 06:10Z is 01:10 EST (second pass); 01:15 already fired at 05:15Z, so the next run is 02:00 EST.
        schedule.GetNextOccurrence(Utc(2026, 11, 1, 6, 10), NewYork).Should().Be(Utc(2026, 11, 1, 7));
    }

    [Fact]
    public void GetNextOccurrence_BerlinDaylightSavingChanges_FollowSameRules()
    {
        var schedule = CronSchedule.Parse("30 2 * * *");

        // 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (02:30 happens at 00:30Z and 01:30Z).
        schedule.GetNextOccurrence(Utc(2026, 3, 28, 23), Berlin).Should().Be(Utc(2026, 3, 29, 1));
        schedule.GetNextOccurrence(Utc(2026, 10, 24, 23), Berlin).Should().Be(Utc(2026, 10, 25, 0, 30));
        schedule.GetNextOccurrence(Utc(2026, 10, 25, 0, 30), Berlin).Should().Be(Utc(2026, 10, 26, 1, 30));
    }

    [Fact]
    public void GetNextOccurrence_NonUtcZoneOrdinaryDay_MatchesLocalWallClock()
    {
        var schedule = CronSchedule.Parse("0 9 * * MON");

        schedule.GetNextOccurrence(NewYear2026, NewYork).Should().Be(Utc(2026, 1, 5, 14)); // 09:00 EST
        schedule.GetNextOccurrence(Utc(2026, 7, 1, 0), NewYork).Should().Be(Utc(2026, 7, 6, 13)); // 09:00 EDT
    }

    private static List<DateTimeOffset> Walk(CronSchedule schedule, TimeZoneInfo zone, DateTimeOffset from, int count)
    {
        var result = new List<DateTimeOffset>();
        var cursor = from;
        for (var i = 0; i < count; i++)
        {
            cursor = schedule.GetNextOccurrence(cursor, zone)!.Value;
            result.Add(cursor);
        }

        return result;
    }
}
