namespace Reyn.Events;

/// <summary>One entry of the <see cref="EventCatalog"/>: what an event type means and what it must carry.</summary>
/// <param name="Type">The event type, for example <c>phase_started</c>.</param>
/// <param name="Source">The layer that owns the event: <c>lifecycle</c>, <c>llm</c>, <c>op</c>, <c>chat</c>, <c>agent</c>, <c>state</c>, <c>config</c>, <c>cron</c>, <c>index</c>, <c>hook</c>.</param>
/// <param name="DefaultLevel">The level used when the event does not set <c>level</c> itself.</param>
/// <param name="RequiredFields">Audit fields every emitted event of this type must carry in <c>data</c>.</param>
/// <param name="SummaryTemplate">A one-line, searchable headline with <c>{field}</c> placeholders (<c>{a|b}</c>: the first field present).</param>
/// <param name="Noise">How often the event may fire for one condition.</param>
/// <param name="Description">What question the event answers, for the generated reference.</param>
public sealed record EventKind(
    string Type,
    string Source,
    EventLevel DefaultLevel,
    IReadOnlyList<string> RequiredFields,
    string SummaryTemplate,
    EventNoise Noise,
    string Description);
