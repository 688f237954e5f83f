using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Events.ActivityStore;

namespace Reyn.Cli.Commands.Events;

/// <summary><c>reyn events list</c>: events matching the filters, newest first.</summary>
internal static class EventsListCommand
{
    public static Command Create(CliContext context)
    {
        var filters = new EventFilterOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "Most events to show (1..1000).", DefaultValueFactory = _ => ActivityQuery.DefaultLimit };
        var beforeId = new Option<long?>("--before-id") { Description = "Paging: only events with an id below this (the hint printed under a full page)." };
        var command = new Command("list", "List activity events, newest first.");
        filters.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(beforeId);
        EventsCommandRunner.SetAction(command, context, async (parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var query = filters.Build(parseResult, now, parseResult.GetValue(limit), parseResult.GetValue(beforeId));
            var store = EventsCommandRunner.OpenStore(context, parseResult);
            var page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(filters.Json))
            {
                ActivityOutput.WriteJson(context.Out, page, now, w => filters.WriteQuery(w, parseResult, query), withRank: false);
            }
            else
            {
                ActivityOutput.WriteTable(context.Out, page, query.EffectiveLimit, paged: true);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
