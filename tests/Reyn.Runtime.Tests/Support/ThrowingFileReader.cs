using Reyn.Runtime.HotReload;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A reader that fails in a way the loader does not expect.</summary>
internal sealed class ThrowingFileReader : IInSetFileReader
{
    public bool Throw { get; set; }

    public string? ReadText(string path) => Throw ? throw new InvalidOperationException("disk on fire") : null;
}
