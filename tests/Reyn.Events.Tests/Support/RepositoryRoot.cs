namespace Reyn.Events.Tests.Support;

/// <summary>Finds the repository root (the directory holding Reyn.Core.sln) from the test output directory.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reyn.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Reyn.Core.sln not found above " + AppContext.BaseDirectory);
    }
}
