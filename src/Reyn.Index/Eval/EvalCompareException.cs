namespace Reyn.Index;

/// <summary>eval compare cannot run on the data or the arguments given; the message says why and what to do.</summary>
public sealed class EvalCompareException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvalCompareException(string message) : base(message)
    {
    }
}
