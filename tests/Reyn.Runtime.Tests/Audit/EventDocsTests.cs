using System.Reflection;
using System.Text.RegularExpressions;
using Reyn.Events;

namespace Reyn.Runtime.Tests.Audit;

public sealed partial class EventDocsTests
{
    [Fact]
    public void RuntimeSource_EveryEventTypeItEmits_IsInTheCatalogAndListedInDocsEventsMd()
    {
        var repo = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(repo, "docs", "events.md"));
        var constants = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(f => f.Name, f => (string)f.GetValue(null)!);
        var used = Directory.EnumerateFiles(Path.Combine(repo, "src", "Reyn.Runtime"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => EventTypeReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        used.Should().HaveCountGreaterThan(25, "the runtime emits lifecycle, op, llm, chat and state events");
        foreach (var name in used)
        {
            constants.Should().ContainKey(name);
            var type = constants[name];
            EventCatalog.Contains(type).Should().BeTrue();
            docs.Should().Contain($"`{type}`", $"docs/events.md must list {type}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reyn.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Reyn.Core.sln not found above the test directory.");
    }

    [GeneratedRegex(@"EventTypes\.([A-Za-z]+)")]
    private static partial Regex EventTypeReference();
}
