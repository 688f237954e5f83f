using Reyn.Runtime.HotReload;

namespace Reyn.Runtime.Tests.Support;

/// <summary>The real reader, recording every path the loader asks for.</summary>
internal sealed class RecordingFileReader(string root) : IInSetFileReader
{
    private readonly PhysicalInSetFileReader _inner = new(root);
    private readonly List<string> _paths = [];

    public IReadOnlyList<string> Paths => _paths;

    public string? ReadText(string path)
    {
        _paths.Add(path);
        return _inner.ReadText(path);
    }
}
