namespace Reyn.Index.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that runs a callback on the reporting thread.</summary>
public sealed class CallbackProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
