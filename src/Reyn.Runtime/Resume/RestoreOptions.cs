namespace Reyn.Runtime;

/// <summary>How <see cref="ReynRuntime.RestoreAsync"/> treats the in-flight state it finds on disk.</summary>
public sealed class RestoreOptions
{
    /// <summary>
    /// Skip restore entirely (the <c>--no-restore</c> equivalent): nothing is resumed, nothing is deleted; the state stays
    /// on disk for a later start. Default <see langword="false"/>.
    /// </summary>
    public bool NoRestore { get; set; }

    /// <summary>
    /// Wipe in-flight state instead of resuming it (the <c>--reset</c> equivalent; setting it is the confirmation):
    /// every in-flight run is discarded (<c>skill_discarded</c> in the WAL, snapshot and stored artifacts deleted). The
    /// audit events are kept. Offline, <c>reyn state reset --yes</c> also deletes the WAL. Default <see langword="false"/>.
    /// </summary>
    public bool ResetInFlightState { get; set; }
}
