namespace Reyn.Events;

/// <summary>Severity of an event, used for filtering and triage. Ordered: a higher value is more severe.</summary>
public enum EventLevel
{
    /// <summary>Breadcrumbs useful only when digging.</summary>
    Debug = 0,
    /// <summary>Expected state changes.</summary>
    Info = 1,
    /// <summary>Something degraded or was refused.</summary>
    Warn = 2,
    /// <summary>Something failed.</summary>
    Error = 3,
}
