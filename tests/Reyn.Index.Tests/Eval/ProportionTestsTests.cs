namespace Reyn.Index.Tests.Eval;

public sealed class ProportionTestsTests
{
    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(1.6448536269514722, 0.95)]
    [InlineData(-2.0, 0.022750131948179195)]
    [InlineData(2.0, 0.9772498680518208)]
    [InlineData(-3.090232306167813, 0.001)]
    public void NormalCdf_KnownQuantiles_MatchTables(double z, double expected)
    {
        ProportionTests.NormalCdf(z).Should().BeApproximately(expected, 2e-7);
    }

    [Fact]
    public void TwoProportionZTest_SeedExampleImprovement_HasZOf2AndNoRegression()
    {
        // Baseline 36/50 (72%), candidate 44/50 (88%): pooled 0.8, SE 0.08, z = +2.
        var (z, p) = ProportionTests.TwoProportionZTest(36, 50, 44, 50);

        z.Should().BeApproximately(2.0, 1e-9);
        p.Should().BeApproximately(0.9772498680518208, 2e-7);
    }

    [Fact]
    public void TwoProportionZTest_Drop_IsSignificantAtFivePercent()
    {
        var (z, p) = ProportionTests.TwoProportionZTest(44, 50, 36, 50);

        z.Should().BeApproximately(-2.0, 1e-9);
        p.Should().BeApproximately(0.022750131948179195, 2e-7);
    }

    [Fact]
    public void FisherExactLowerTail_LadyTastingTea_Is17Over70()
    {
        // 2x2 table [[3,1],[1,3]]: P(X <= 1) = (1 + 16) / 70.
        ProportionTests.FisherExactLowerTail(3, 4, 1, 4).Should().BeApproximately(17.0 / 70, 1e-12);
    }

    [Fact]
    public void FisherExactLowerTail_AllPassThenAllFail_IsOneOverTwentyChooseTen()
    {
        ProportionTests.FisherExactLowerTail(10, 10, 0, 10).Should().BeApproximately(1.0 / 184756, 1e-15);
    }

    [Fact]
    public void FisherExactLowerTail_CandidateBetter_IsLarge()
    {
        // [[2,8],[9,1]]: candidate 9/10 vs baseline 2/10; P(X <= 9) = 1 - P(X = 10) with X ~ Hypergeom(20, 11, 10).
        var pTen = 1.0 / 184756 * Choose(11, 10) * Choose(9, 0);
        ProportionTests.FisherExactLowerTail(2, 10, 9, 10).Should().BeApproximately(1 - pTen, 1e-12);
    }

    [Theory]
    [InlineData(3, 4, 1, 4, true)]
    [InlineData(36, 50, 44, 50, false)]
    [InlineData(49, 50, 50, 50, true)]
    public void IsSmallSample_ExpectedCountsBelowFive_UsesFisher(int bp, int bn, int cp, int cn, bool small)
    {
        ProportionTests.IsSmallSample(bp, bn, cp, cn).Should().Be(small);
    }

    private static double Choose(int n, int k)
    {
        double r = 1;
        for (var i = 1; i <= k; i++)
        {
            r = r * (n - k + i) / i;
        }

        return r;
    }
}
