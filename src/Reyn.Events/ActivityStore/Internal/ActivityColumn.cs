namespace Reyn.Events.ActivityStore.Internal;

/// <summary>The text columns of an activity row in <see cref="Utf8ActivityRows"/>, in table order; <see cref="Body"/> is the FTS text.</summary>
internal enum ActivityColumn
{
    Timestamp,
    Project,
    Agent,
    Session,
    Run,
    Source,
    Type,
    Level,
    Summary,
    Data,
    Body,
}
