namespace Reyn.Index;

/// <summary>How <see cref="EventIndexer"/> treats what is already indexed.</summary>
public enum IndexEventsMode
{
    /// <summary>Index runs completed after the cursor (or <see cref="IndexEventsRequest.Since"/>); keep the rest.</summary>
    Append = 0,

    /// <summary>Drop the source and rebuild it from every event file.</summary>
    Replace = 1,
}
