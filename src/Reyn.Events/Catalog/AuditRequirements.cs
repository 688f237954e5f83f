namespace Reyn.Events;

/// <summary>
/// The audit-field check other packages' tests run on events their real code paths emitted: each kind must carry the
/// required fields the <see cref="EventCatalog"/> declares. Enforcement is test-time only, so emission costs nothing.
/// </summary>
public static class AuditRequirements
{
    /// <summary>Throws when <paramref name="evt"/> is of an unknown type or lacks a required audit field.</summary>
    /// <exception cref="AuditRequirementException">The message names the event type and every missing field.</exception>
    public static void Verify(ReynEvent evt)
    {
        var missing = EventCatalog.MissingRequiredFields(evt);
        if (missing.Count == 0)
        {
            return;
        }

        if (!EventCatalog.Contains(evt.Type))
        {
            throw new AuditRequirementException(
                $"Event type '{evt.Type}' is not in the event catalog. Add it to EventCatalog.Entries.cs and EventTypes.cs, then regenerate docs/events.md.");
        }

        throw new AuditRequirementException(
            $"Event '{evt.Type}' lacks required audit field(s) {string.Join(", ", missing)}; the catalog requires "
            + $"{string.Join(", ", EventCatalog.TryGet(evt.Type, out var kind) ? kind.RequiredFields : [])}. "
            + "Set them in the emitted data or in the EventLog's EventContext.");
    }

    /// <summary>Verifies every event in <paramref name="events"/>; the first failure throws.</summary>
    public static void VerifyAll(IEnumerable<ReynEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var evt in events)
        {
            Verify(evt);
        }
    }
}
