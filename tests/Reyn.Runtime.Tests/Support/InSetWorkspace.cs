using Reyn.Testing;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A project directory on disk with a <c>reyn.yaml</c> beside a <c>.reyn/</c> root.</summary>
internal sealed class InSetWorkspace : IDisposable
{
    private readonly TempDirectory _temp = new("reyn-hotreload");

    public InSetWorkspace(bool createRoot = true)
    {
        if (createRoot)
        {
            Directory.CreateDirectory(Root);
        }
    }

    public string ProjectDirectory => _temp.Path;

    public string Root => Path.Combine(_temp.Path, ".reyn");

    public string ReynYaml => Path.Combine(_temp.Path, "reyn.yaml");

    public string PathOf(string relativeToRoot) => Path.Combine(Root, relativeToRoot);

    public string Write(string relativeToRoot, string text)
    {
        var path = PathOf(relativeToRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Delete(string relativeToRoot) => File.Delete(PathOf(relativeToRoot));

    public void Dispose() => _temp.Dispose();
}
