namespace Reyn.Events.Tests.Jsonl;

public sealed class RunIdsTests
{
    [Fact]
    public void New_FixedTime_UtcTimeFirstThenSafeSkillThenFourHex()
    {
        var at = new DateTimeOffset(2026, 5, 10, 18, 15, 0, TimeSpan.FromHours(9)).AddTicks(1234560);

        var id = RunIds.New("my skill!", at);

        id.Should().MatchRegex("^20260510T091500123456Z_my_skill_[0-9a-f]{4}$");
    }

    [Fact]
    public void New_LaterTime_SortsAfterEarlierOrdinally()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 50).Select(i => RunIds.New(i % 2 == 0 ? "zzz" : "aaa", start.AddMilliseconds(i * 7))).ToList();

        ids.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("triage", "triage")]
    [InlineData("  a/b\\c..d  ", "a_b_c_d")]
    [InlineData("日本語", "skill")]
    [InlineData("", "skill")]
    [InlineData("keep-dash_and_underscore", "keep-dash_and_underscore")]
    public void SafeSkill_Name_ReducedToSafeCharacters(string skill, string expected) => RunIds.SafeSkill(skill).Should().Be(expected);

    [Fact]
    public void SafeSkill_LongName_CutTo40()
    {
        RunIds.SafeSkill(new string('x', 100)).Should().HaveLength(RunIds.MaxSkillLength);
    }

    [Fact]
    public void TryGetTimestamp_RunId_ReturnsItsUtcTime()
    {
        var at = new DateTimeOffset(2026, 5, 10, 9, 15, 0, TimeSpan.Zero).AddTicks(10);

        RunIds.TryGetTimestamp(RunIds.New("s", at), out var parsed).Should().BeTrue();
        parsed.Should().Be(at);
        RunIds.TryGetTimestamp("not-a-run-id", out _).Should().BeFalse();
    }
}
