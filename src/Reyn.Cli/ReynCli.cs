using System.CommandLine;
using Reyn.Cli.Commands;
using Reyn.Cli.Infrastructure;

namespace Reyn.Cli;

/// <summary>The <c>reyn</c> command tree. Exit codes: 0 success, 1 failure, 2 user error (bad flag, bad value, no root).</summary>
public static class ReynCli
{
    /// <summary>Builds the root command with every command group.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("reyn: inspect and operate a Reyn.Core .reyn/ root (events, state, index, cron).");
        root.Options.Add(context.RootOption);
        foreach (var group in CommandGroups.Create(context))
        {
            root.Subcommands.Add(group);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(stdout, stderr);
        var root = Build(context);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'reyn --help' (or '<command> --help') for usage.").ConfigureAwait(false);
            return ExitCodes.UserError;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUserException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UserError;
        }
    }
}
