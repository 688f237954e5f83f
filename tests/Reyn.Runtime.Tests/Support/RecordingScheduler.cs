using Reyn.Runtime.HotReload;

namespace Reyn.Runtime.Tests.Support;

/// <summary>Records reload requests.</summary>
internal sealed class RecordingScheduler : IReloadScheduler
{
    private readonly Lock _gate = new();
    private readonly List<string> _sources = [];

    public IReadOnlyList<string> Sources
    {
        get
        {
            lock (_gate)
            {
                return _sources.ToArray();
            }
        }
    }

    public void RequestReload(string source)
    {
        lock (_gate)
        {
            _sources.Add(source);
        }
    }
}
