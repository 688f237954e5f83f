namespace Reyn.Index;

/// <summary>
/// One-sided tests of "the candidate's pass rate is lower than the baseline's": the pooled two-proportion z-test, and
/// Fisher's exact test for small counts.
/// </summary>
public static class ProportionTests
{
    /// <summary>The expected cell count under which the z-test's normal approximation is not trusted (Fisher's exact is used).</summary>
    public const double MinimumExpectedCount = 5;

    /// <summary>The standard normal cumulative distribution Φ(z) (absolute error below 1e-7).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>
    /// Pooled two-proportion z-test, one-sided (H1: candidate &lt; baseline).
    /// </summary>
    /// <returns>The z statistic and the lower-tail p-value Φ(z); p = 1 when both rates are 0% or 100%.</returns>
    public static (double Z, double PValue) TwoProportionZTest(int baselinePassed, int baselineRuns, int candidatePassed, int candidateRuns)
    {
        Check(baselinePassed, baselineRuns, candidatePassed, candidateRuns);
        var pb = (double)baselinePassed / baselineRuns;
        var pc = (double)candidatePassed / candidateRuns;
        var pooled = (double)(baselinePassed + candidatePassed) / (baselineRuns + candidateRuns);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / baselineRuns) + (1.0 / candidateRuns)));
        if (se == 0)
        {
            return (0, 1);
        }

        var z = (pc - pb) / se;
        return (z, NormalCdf(z));
    }

    /// <summary>
    /// Fisher's exact test, one-sided (H1: candidate &lt; baseline): the probability, with all margins fixed, that the
    /// candidate has at most <paramref name="candidatePassed"/> passes.
    /// </summary>
    public static double FisherExactLowerTail(int baselinePassed, int baselineRuns, int candidatePassed, int candidateRuns)
    {
        Check(baselinePassed, baselineRuns, candidatePassed, candidateRuns);
        var total = baselineRuns + candidateRuns;
        var passes = baselinePassed + candidatePassed;
        var logFactorial = new double[total + 1];
        for (var i = 1; i <= total; i++)
        {
            logFactorial[i] = logFactorial[i - 1] + Math.Log(i);
        }

        double LogChoose(int n, int k) => logFactorial[n] - logFactorial[k] - logFactorial[n - k];
        var logDenominator = LogChoose(total, candidateRuns);
        var low = Math.Max(0, candidateRuns - (total - passes));
        var p = 0.0;
        for (var x = low; x <= candidatePassed; x++)
        {
            p += Math.Exp(LogChoose(passes, x) + LogChoose(total - passes, candidateRuns - x) - logDenominator);
        }

        return Math.Min(1, p);
    }

    /// <summary>Whether any expected cell of the 2×2 table is below <see cref="MinimumExpectedCount"/>.</summary>
    public static bool IsSmallSample(int baselinePassed, int baselineRuns, int candidatePassed, int candidateRuns)
    {
        var pooled = (double)(baselinePassed + candidatePassed) / (baselineRuns + candidateRuns);
        return Math.Min(baselineRuns, candidateRuns) * Math.Min(pooled, 1 - pooled) < MinimumExpectedCount;
    }

    private static void Check(int bp, int bn, int cp, int cn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bn, 1, "baselineRuns");
        ArgumentOutOfRangeException.ThrowIfLessThan(cn, 1, "candidateRuns");
        if (bp < 0 || bp > bn || cp < 0 || cp > cn)
        {
            throw new ArgumentOutOfRangeException(nameof(bp), "Passed counts must be between 0 and the number of runs.");
        }
    }

    // Complementary error function, Chebyshev fit (Numerical Recipes erfcc); fractional error < 1.2e-7.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = 0.17087277;
        poly = -0.82215223 + (t * poly);
        poly = 1.48851587 + (t * poly);
        poly = -1.13520398 + (t * poly);
        poly = 0.27886807 + (t * poly);
        poly = -0.18628806 + (t * poly);
        poly = 0.09678418 + (t * poly);
        poly = 0.37409196 + (t * poly);
        poly = 1.00002368 + (t * poly);
        poly = -1.26551223 + (t * poly);
        var ans = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? ans : 2.0 - ans;
    }
}
