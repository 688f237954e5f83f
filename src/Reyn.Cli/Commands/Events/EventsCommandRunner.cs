using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Events.ActivityStore;

namespace Reyn.Cli.Commands.Events;

/// <summary>
/// Runs an <c>events</c> subcommand so that user errors print one line on stderr with exit code 2 (and a store that
/// cannot be used prints its reason with exit code 1), never a stack trace.
/// </summary>
internal static class EventsCommandRunner
{
    public static void SetAction(Command command, CliContext context, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (CliUserException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UserError;
            }
            catch (ActivityStoreException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
    }

    /// <summary>The activity store of the resolved root: <c>&lt;root&gt;/events.db</c>.</summary>
    public static SqliteActivityStore OpenStore(CliContext context, ParseResult parseResult) =>
        new(Path.Combine(context.ResolveRoot(parseResult), "events.db"));
}
