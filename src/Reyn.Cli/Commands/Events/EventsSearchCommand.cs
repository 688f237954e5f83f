using System.CommandLine;
using Reyn.Cli.Infrastructure;
using Reyn.Events.ActivityStore;

namespace Reyn.Cli.Commands.Events;

/// <summary><c>reyn events search "&lt;symptom&gt;"</c>: full-text search ranked by BM25, filters applied before the limit.</summary>
internal static class EventsSearchCommand
{
    public const int DefaultLimit = 100;

    public static Command Create(CliContext context)
    {
        var text = new Argument<string>("symptom")
        {
            Description = "What to look for, e.g. \"review fetch failed\". Words must all appear; \"quoted phrase\" keeps order; word* matches a prefix. Taken literally.",
        };
        var filters = new EventFilterOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "Most events to show (1..1000).", DefaultValueFactory = _ => DefaultLimit };
        var command = new Command("search", "Full-text search over event summaries and data, best match first.");
        command.Arguments.Add(text);
        filters.AddTo(command);
        command.Options.Add(limit);
        EventsCommandRunner.SetAction(command, context, async (parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var q = parseResult.GetValue(text) ?? string.Empty;
            if (string.IsNullOrWhiteSpace(q))
            {
                throw new CliUserException("The search text is empty. Give a symptom, e.g. reyn events search \"review fetch failed\".");
            }

            var query = filters.Build(parseResult, now, parseResult.GetValue(limit));
            var store = EventsCommandRunner.OpenStore(context, parseResult);
            var page = await store.SearchAsync(q, query, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(filters.Json))
            {
                ActivityOutput.WriteJson(context.Out, page, now, w => filters.WriteQuery(w, parseResult, query, q), withRank: true);
            }
            else
            {
                ActivityOutput.WriteTable(context.Out, page, query.EffectiveLimit, paged: false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
