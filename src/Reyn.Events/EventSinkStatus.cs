namespace Reyn.Events;

/// <summary>What one sink or subscriber reports about its drops (see <see cref="EventPipeline.GetSinkStatus"/>).</summary>
/// <param name="Name">The sink's type name, or the subscriber's name.</param>
/// <param name="DroppedCount">Events it accepted but could not persist or deliver.</param>
/// <param name="LastError">Why it dropped the most recent one, or <see langword="null"/>.</param>
public readonly record struct EventSinkStatus(string Name, long DroppedCount, string? LastError);
