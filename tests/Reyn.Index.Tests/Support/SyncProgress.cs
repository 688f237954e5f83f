namespace Reyn.Index.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that records reports on the reporting thread (unlike Progress&lt;T&gt;).</summary>
public sealed class SyncProgress<T> : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        lock (Reports)
        {
            Reports.Add(value);
        }
    }
}
