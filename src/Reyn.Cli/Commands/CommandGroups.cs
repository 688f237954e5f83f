using System.CommandLine;
using Reyn.Cli.Infrastructure;

namespace Reyn.Cli.Commands;

/// <summary>The top-level command groups, in help order. Each group lives in its own file.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return CronCommand.Create(context);
        yield return StateCommand.Create(context);
        yield return IndexCommand.Create(context);
        yield return RecallCommand.Create(context);
        yield return OpsCommand.Create(context);
        yield return EvalCommand.Create(context);
        yield return EventsCommand.Create(context);
    }
}
