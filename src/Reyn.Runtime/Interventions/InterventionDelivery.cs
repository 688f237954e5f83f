namespace Reyn.Runtime;

/// <summary>What <see cref="ReynRuntime.ResolveInterventionAsync"/> did with an answer.</summary>
public enum InterventionDelivery
{
    /// <summary>A run was waiting for it: <c>intervention_resolved</c> is durable and the waiting phase continues.</summary>
    Delivered,

    /// <summary>
    /// No run is waiting in this process (for example after a restart, before <see cref="ReynRuntime.RestoreAsync"/>):
    /// the answer is durably buffered (<c>intervention_answer_buffered</c>) and consumed when the run resumes.
    /// </summary>
    Buffered,
}
