using System.CommandLine;

namespace Reyn.Cli.Infrastructure;

/// <summary>What every command shares: the output streams and the global <c>--root</c> option.</summary>
public sealed class CliContext
{
    /// <summary>The environment variable naming the <c>.reyn/</c> root when <c>--root</c> is not given.</summary>
    public const string RootEnvironmentVariable = "REYN_ROOT";

    /// <summary>Creates a context writing to the given streams.</summary>
    public CliContext(TextWriter stdout, TextWriter stderr)
    {
        Out = stdout;
        Error = stderr;
        RootOption = new Option<string?>("--root")
        {
            Description = "The .reyn/ directory to use (default: $REYN_ROOT, else the nearest .reyn/ above the current directory).",
            Recursive = true,
        };
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>The global <c>--root</c> option.</summary>
    public Option<string?> RootOption { get; }

    /// <summary>
    /// Finds the <c>.reyn/</c> root: <c>--root</c>, then <c>REYN_ROOT</c>, then the nearest <c>.reyn/</c> walking up
    /// from the current directory.
    /// </summary>
    /// <exception cref="CliUserException">No root was found, or the named one does not exist.</exception>
    public string ResolveRoot(ParseResult parseResult)
    {
        var explicitRoot = parseResult.GetValue(RootOption);
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return RequireDirectory(explicitRoot, "--root");
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return RequireDirectory(fromEnvironment, RootEnvironmentVariable);
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".reyn");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliUserException(
            $"No .reyn/ directory found in {Directory.GetCurrentDirectory()} or any parent. " +
            $"Run from inside a Reyn project, pass --root <path-to-.reyn>, or set {RootEnvironmentVariable}.");
    }

    private static string RequireDirectory(string path, string from)
    {
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new CliUserException($"The .reyn/ root '{full}' (from {from}) does not exist. Point {from} at an existing .reyn/ directory.");
        }

        return full;
    }
}
