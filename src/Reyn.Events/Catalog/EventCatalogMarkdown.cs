using System.Text;

namespace Reyn.Events;

/// <summary>
/// Generates <c>docs/events.md</c>, the reference of every event kind, from <see cref="EventCatalog"/>. A test fails
/// when the committed file differs; regenerate with
/// <c>REYN_UPDATE_DOCS=1 dotnet test tests/Reyn.Events.Tests --filter EventCatalogDocsTests</c>.
/// </summary>
public static class EventCatalogMarkdown
{
    /// <summary>The command that rewrites <c>docs/events.md</c>.</summary>
    public const string RegenerateCommand = "REYN_UPDATE_DOCS=1 dotnet test tests/Reyn.Events.Tests --filter EventCatalogDocsTests";

    /// <summary>The full markdown text (LF line endings).</summary>
    public static string Generate()
    {
        var builder = new StringBuilder(16 * 1024);
        builder.Append("# Event reference\n\n");
        builder.Append("<!-- Generated from src/Reyn.Events/Catalog/EventCatalog.Entries.cs. Do not edit by hand; regenerate with:\n");
        builder.Append("     ").Append(RegenerateCommand).Append(" -->\n\n");
        builder.Append("Every event is one JSON object per line: `{\"type\": ..., \"timestamp\": <ISO-8601 with offset>, \"data\": {...}}`. ");
        builder.Append("`data` carries `run_id`, `skill`, `phase`, `agent`, `session_id`, `chain_id` where they apply, plus `emitter` and ");
        builder.Append("`audit_seq`, stamped by the emitter. The set of types is closed: code emits only the kinds below.\n\n");
        builder.Append("Noise classes: **one-shot** fires at most once per activation of its condition, **milestone** once per step ");
        builder.Append("of a longer process, **repeated** once per occurrence.\n\n");

        var sources = new List<string>();
        foreach (var kind in EventCatalog.All)
        {
            if (!sources.Contains(kind.Source))
            {
                sources.Add(kind.Source);
            }
        }

        builder.Append("| source | kinds |\n|---|---|\n");
        foreach (var source in sources)
        {
            var count = 0;
            foreach (var kind in EventCatalog.All)
            {
                count += kind.Source == source ? 1 : 0;
            }

            builder.Append("| [").Append(source).Append("](#").Append(source).Append(") | ").Append(count).Append(" |\n");
        }

        foreach (var source in sources)
        {
            builder.Append("\n## ").Append(source).Append("\n\n");
            builder.Append("| kind | level | required fields | summary | noise | description |\n");
            builder.Append("|---|---|---|---|---|---|\n");
            foreach (var kind in EventCatalog.All)
            {
                if (kind.Source != source)
                {
                    continue;
                }

                builder.Append("| `").Append(kind.Type).Append("` | ")
                    .Append(EventCatalog.LevelName(kind.DefaultLevel)).Append(" | ")
                    .Append(kind.RequiredFields.Count == 0 ? "—" : "`" + string.Join("`, `", kind.RequiredFields) + "`").Append(" | ")
                    .Append(Cell(kind.SummaryTemplate)).Append(" | ")
                    .Append(NoiseName(kind.Noise)).Append(" | ")
                    .Append(Cell(kind.Description)).Append(" |\n");
            }
        }

        return builder.ToString();
    }

    /// <summary>The name of a noise class as documented: <c>one-shot</c>, <c>milestone</c>, <c>repeated</c>.</summary>
    public static string NoiseName(EventNoise noise) => noise switch
    {
        EventNoise.OneShot => "one-shot",
        EventNoise.Milestone => "milestone",
        _ => "repeated",
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
