namespace Reyn.Runtime.HotReload;

/// <summary>Schedules a reload for the next turn boundary (implemented by <see cref="HotReloader"/>).</summary>
public interface IReloadScheduler
{
    /// <summary>Marks a reload as pending; nothing is read or applied now. See <see cref="ReloadSources"/>.</summary>
    void RequestReload(string source);
}
