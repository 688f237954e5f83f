namespace Reyn.Events.ActivityStore;

/// <summary>The store file cannot be used as asked (for example it was written by a newer Reyn.Events).</summary>
public sealed class ActivityStoreException : Exception
{
    /// <summary>Creates the exception with a message that says what is wrong and how to fix it.</summary>
    public ActivityStoreException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    public ActivityStoreException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
