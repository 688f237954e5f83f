using System.Globalization;
using System.Text;
using System.Text.Json;
using Reyn.Events.Serialization;

namespace Reyn.Events.Reporting;

/// <summary>
/// Renders events as they happen, one line each: readable lines for the lifecycle kinds
/// (<c>[phase:plan] started (visit #1)</c>), <c>[source] summary</c> from the catalog template for other catalog kinds,
/// and <c>[type] k=v ...</c> (at most 6 fields) for kinds outside the catalog.
/// </summary>
/// <remarks>
/// In conversation mode the LLM input (<c>context_built</c>) and output (<c>llm_response_received</c>) are shown as a
/// header line followed by the payload, indented; outside it those two kinds print nothing. Use it as a subscriber
/// (<c>pipeline.Subscribe(e =&gt; reporter.Write(e))</c> or <c>AddReynConsoleReporter</c>) or call
/// <see cref="Write"/> directly, for example while replaying a file. Safe to call from several threads.
/// </remarks>
public sealed class ConsoleReporter
{
    /// <summary>Most payload fields shown for a kind outside the catalog.</summary>
    public const int MaxFallbackFields = 6;

    private const int MaxValueLength = 120;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    /// <summary>Creates a reporter.</summary>
    /// <param name="output">Where lines go (for example <see cref="Console.Out"/>).</param>
    /// <param name="conversation">Show LLM input and output frames.</param>
    public ConsoleReporter(TextWriter output, bool conversation = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Conversation = conversation;
    }

    /// <summary>Whether LLM input and output frames are shown.</summary>
    public bool Conversation { get; }

    /// <summary>Renders <paramref name="evt"/>.</summary>
    /// <returns><see langword="true"/> if something was printed.</returns>
    public bool Write(ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var text = Render(evt);
        if (text is null)
        {
            return false;
        }

        lock (_gate)
        {
            _output.WriteLine(text);
            _output.Flush();
        }

        return true;
    }

    /// <summary>The text <see cref="Write"/> would print for <paramref name="evt"/>, or <see langword="null"/> if nothing.</summary>
    public string? Render(ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var d = evt.Data;
        switch (evt.Type)
        {
            case EventTypes.ContextBuilt:
                return Conversation ? Frame($"[LLM INPUT] phase={Field(d, EventFields.Phase)} visit={Field(d, "visit_count")}", d) : null;
            case EventTypes.LlmResponseReceived:
                return Conversation ? Frame($"[LLM OUTPUT] phase={Field(d, EventFields.Phase)} model={Field(d, "model")}", d) : null;
            case EventTypes.PhaseStarted:
                return $"[phase:{Field(d, EventFields.Phase)}] started (visit #{Field(d, "visit_count", "1")})";
            case EventTypes.PhaseCompleted:
                return d.ContainsKey("confidence")
                    ? $"[phase:{Field(d, EventFields.Phase)}] → {Field(d, "next_phase")} (confidence={Field(d, "confidence")})"
                    : $"[phase:{Field(d, EventFields.Phase)}] → {Field(d, "next_phase")}";
            case EventTypes.PhaseFailed:
                return $"[phase:{Field(d, EventFields.Phase)}] failed: {Field(d, "error")}";
            case EventTypes.WorkflowStarted:
                return $"[os] workflow {Field(d, EventFields.Skill)} started at {Field(d, "entry_phase")} (run {Field(d, EventFields.RunId)})";
            case EventTypes.WorkflowFinished:
                return $"[os] workflow terminated — {Field(d, "reason")}";
            case EventTypes.LoopLimitExceeded:
                return $"[os] loop limit: phase {Field(d, EventFields.Phase)} visited {Field(d, "visit_count")} times (max {Field(d, "max")})";
            case EventTypes.UserInterventionRequested:
                return $"[ask_user] {Field(d, "question")}";
            case EventTypes.UserMessageReceived:
                return d.ContainsKey("text") ? $"[user] {Field(d, "text")}" : "[user] message received";
        }

        if (EventCatalog.TryGet(evt.Type, out var kind))
        {
            return $"[{kind.Source}] {OneLine(EventCatalog.Summarize(evt), 400)}";
        }

        return Fallback(evt);
    }

    private static string Fallback(ReynEvent evt)
    {
        var builder = new StringBuilder(64).Append('[').Append(OneLine(evt.Type, 80)).Append(']');
        var shown = 0;
        foreach (var (key, value) in evt.Data)
        {
            if (key is EventFields.Emitter or EventFields.AuditSeq)
            {
                continue;
            }

            if (shown == MaxFallbackFields)
            {
                builder.Append(" …");
                break;
            }

            builder.Append(' ').Append(OneLine(key, 40)).Append('=').Append(FormatValue(value));
            shown++;
        }

        return builder.ToString();
    }

    private static string Frame(string header, EventData data)
    {
        var builder = new StringBuilder(header);
        foreach (var (key, value) in data)
        {
            if (key is EventFields.Emitter or EventFields.AuditSeq or EventFields.RunId or EventFields.Skill
                or EventFields.Phase or EventFields.Agent or EventFields.SessionId or EventFields.ChainId)
            {
                continue;
            }

            builder.Append('\n').Append("    ").Append(key).Append(": ");
            var text = value is string s ? s : Json(value);
            builder.Append(text.Replace("\n", "\n      ", StringComparison.Ordinal));
        }

        return builder.ToString();
    }

    private static string Field(EventData data, string key, string missing = "?") =>
        data.GetString(key) is { } value ? OneLine(value, MaxValueLength * 2) : missing;

    private static string FormatValue(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string s:
                var line = OneLine(s, MaxValueLength);
                return line.Length == 0 || line.AsSpan().IndexOfAny(' ', '=', '"') >= 0 ? Json(line) : line;
            case bool b:
                return b ? "true" : "false";
            case IFormattable f:
                return f.ToString(null, CultureInfo.InvariantCulture);
            default:
                return OneLine(Json(value), MaxValueLength);
        }
    }

    private static string Json(object? value)
    {
        try
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, EventJsonWriter.WriterOptions))
            {
                JsonValueWriter.WriteValue(writer, value);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException)
        {
            return value?.ToString() ?? "null";
        }
    }

    private static string OneLine(string text, int max)
    {
        var needsWork = text.Length > max || text.AsSpan().IndexOfAny('\r', '\n') >= 0;
        if (!needsWork)
        {
            return text;
        }

        var flat = text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
        return flat.Length > max ? string.Concat(flat.AsSpan(0, max - 1), "…") : flat;
    }
}
