using Reyn.Events.ActivityStore.Internal;

namespace Reyn.Events.Tests.ActivityStore;

public sealed class SearchTermsTests
{
    [Theory]
    [InlineData("spawn; DROP TABLE activity_events--", "\"spawn\" AND \"DROP\" AND \"TABLE\" AND \"activity_events\"")]
    [InlineData("review fetch failed", "\"review\" AND \"fetch\" AND \"failed\"")]
    [InlineData("\"review fetch\" fail*", "\"review fetch\" AND \"fail\" *")]
    [InlineData("a OR b -c", "\"a\" AND \"OR\" AND \"b\" AND \"c\"")]
    [InlineData("\"x\"\"y", "\"x\" AND \"y\"")]
    public void ToFtsQuery_UserText_QuotesEveryTerm(string text, string expected) =>
        SearchTerms.Parse(text).ToFtsQuery().Should().Be(expected);

    [Fact]
    public void ToLikePatterns_Wildcards_AreEscaped() =>
        SearchTerms.Parse("a_b \"c d\"").ToLikePatterns().Should().Equal("%a\\_b%", "%c d%");
}
