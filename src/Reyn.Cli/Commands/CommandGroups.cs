using System.CommandLine;
using Reyn.Cli.Infrastructure;

namespace Reyn.Cli.Commands;

/// <summary>The top-level command groups, in help order. Each group lives in its own file.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return CronCommand.Create(context);
    }
}
