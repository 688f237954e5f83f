namespace Reyn.Index;

/// <summary>What the data says about the candidate version.</summary>
public enum RegressionVerdict
{
    /// <summary>The candidate's pass rate is not lower than the baseline's: "regression: none".</summary>
    None = 0,

    /// <summary>The candidate's pass rate is lower but not significantly (p ≥ α): the data cannot tell.</summary>
    Inconclusive = 1,

    /// <summary>The candidate's pass rate is significantly lower (p &lt; α).</summary>
    Regression = 2,
}
