using Reyn.Events.Tests.Support;

namespace Reyn.Events.Tests.Catalog;

public sealed class EventCatalogDocsTests
{
    [Fact]
    public void DocsEventsMd_MatchesGeneratedCatalogReference()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "events.md");
        var expected = EventCatalogMarkdown.Generate();
        if (Environment.GetEnvironmentVariable("REYN_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        File.Exists(path).Should().BeTrue($"docs/events.md is generated from the catalog; create it with: {EventCatalogMarkdown.RegenerateCommand}");
        var actual = File.ReadAllText(path).ReplaceLineEndings("\n");
        actual.Should().Be(expected, $"docs/events.md must match EventCatalog; regenerate it with: {EventCatalogMarkdown.RegenerateCommand}");
    }

    [Fact]
    public void Generate_ListsEveryKindWithItsRequiredFieldsUnderItsSource()
    {
        var text = EventCatalogMarkdown.Generate();

        foreach (var kind in EventCatalog.All)
        {
            var row = text.Split('\n').SingleOrDefault(l => l.StartsWith($"| `{kind.Type}` |", StringComparison.Ordinal));
            row.Should().NotBeNull($"{kind.Type} must have a row");
            row.Should().Contain(EventCatalog.LevelName(kind.DefaultLevel)).And.Contain(EventCatalogMarkdown.NoiseName(kind.Noise));
            foreach (var field in kind.RequiredFields)
            {
                row.Should().Contain($"`{field}`");
            }

            var section = text.LastIndexOf("\n## ", text.IndexOf(row!, StringComparison.Ordinal), StringComparison.Ordinal);
            text[(section + 4)..].Should().StartWith(kind.Source);
        }
    }
}
