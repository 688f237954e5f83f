using System.CommandLine;
using Reyn.Cli.Commands.Events;
using Reyn.Cli.Infrastructure;

namespace Reyn.Cli.Commands;

/// <summary>
/// <c>reyn events</c>: query the activity store (<c>list</c>, <c>search</c>, <c>stats</c>), replay the JSONL audit log
/// (<c>replay</c>) and delete old audit files (<c>purge</c>).
/// </summary>
internal static class EventsCommand
{
    public static Command Create(CliContext context)
    {
        var events = new Command("events", "Query the activity store (.reyn/events.db) and replay or purge the JSONL audit log.");
        events.Subcommands.Add(EventsListCommand.Create(context));
        events.Subcommands.Add(EventsSearchCommand.Create(context));
        events.Subcommands.Add(EventsStatsCommand.Create(context));
        events.Subcommands.Add(EventsReplayCommand.Create(context));
        events.Subcommands.Add(EventsPurgeCommand.Create(context));
        return events;
    }
}
