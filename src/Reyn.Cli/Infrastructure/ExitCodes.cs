namespace Reyn.Cli.Infrastructure;

/// <summary>Process exit codes of <c>reyn</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (including "nothing found").</summary>
    public const int Success = 0;
    /// <summary>The command ran and failed (for example a corrupt WAL found by <c>verify</c>).</summary>
    public const int Failure = 1;
    /// <summary>The command line was wrong: a bad flag, a bad value, no <c>.reyn/</c> root.</summary>
    public const int UserError = 2;
}
