using System.Globalization;
using System.Text;
using Reyn.Events;

namespace Reyn.Cli.Commands.Events;

/// <summary>
/// How <c>reyn events replay</c> renders one event: one line, or <see langword="null"/> to print nothing.
/// Stand-in until the console reporter (<c>Reyn.Events.Reporting.ConsoleReporter</c>) is merged; after the merge this
/// file switches to it and nothing else in the replay command changes.
/// </summary>
internal static class ReplayRendering
{
    private const int MaxFallbackFields = 6;

    public static Func<ReynEvent, string?> Create(bool conversation) => evt =>
    {
        var time = evt.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        if (conversation && evt.Type == EventTypes.ContextBuilt)
        {
            return $"{time} [LLM INPUT] phase={evt.Data.GetString(EventFields.Phase) ?? "?"} {Fields(evt, int.MaxValue, skipStamps: true)}";
        }

        if (conversation && evt.Type == EventTypes.LlmResponseReceived)
        {
            return $"{time} [LLM OUTPUT] phase={evt.Data.GetString(EventFields.Phase) ?? "?"} {Fields(evt, int.MaxValue, skipStamps: true)}";
        }

        if (EventCatalog.Contains(evt.Type))
        {
            return $"{time} [{evt.Type}] {EventCatalog.Summarize(evt)}";
        }

        return $"{time} [{evt.Type}] {Fields(evt, MaxFallbackFields, skipStamps: false)}";
    };

    private static string Fields(ReynEvent evt, int max, bool skipStamps)
    {
        var builder = new StringBuilder();
        var shown = 0;
        foreach (var (key, _) in evt.Data)
        {
            if (shown >= max)
            {
                break;
            }

            if (skipStamps && key is EventFields.Emitter or EventFields.AuditSeq or EventFields.Phase)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(key).Append('=').Append(evt.Data.GetString(key));
            shown++;
        }

        return builder.ToString();
    }
}
