using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Index.Tests.Support;
using Reyn.Samples.CustomIndexBackend;
using Reyn.Testing;

namespace Reyn.Index.Tests.DependencyInjection;

public sealed class ReynIndexServiceCollectionExtensionsTests
{
    [Fact]
    public void AddReynIndex_Defaults_ResolveSqliteBackendUnderRootIndex()
    {
        using var dir = new TempDirectory();
        var services = new ServiceCollection();
        services.AddReynIndex(o => o.RootDirectory = dir.Path);
        using var provider = services.BuildServiceProvider();

        var backend = provider.GetRequiredService<IIndexBackend>().Should().BeOfType<SqliteIndexBackend>().Subject;

        backend.IndexDirectory.Should().Be(dir.Combine("index"));
        provider.GetRequiredService<EventIndexer>().CursorPath.Should().Be(dir.Combine("index", "events_cursor"));
        provider.GetRequiredService<Recall>().Should().NotBeNull();
        provider.GetRequiredService<OpsReporter>().Should().NotBeNull();
        provider.GetRequiredService<EvalComparer>().Should().NotBeNull();
    }

    [Fact]
    public void AddReynIndex_InMemoryBm25Options_ReachTheSqliteBackend()
    {
        using var dir = new TempDirectory();
        var services = new ServiceCollection();
        services.AddReynIndex(o =>
        {
            o.RootDirectory = dir.Path;
            o.InMemoryBm25 = false;
            o.InMemoryBm25MaxChunks = 5_000;
        });
        using var provider = services.BuildServiceProvider();

        var backend = provider.GetRequiredService<IIndexBackend>().Should().BeOfType<SqliteIndexBackend>().Subject;

        backend.InMemoryBm25.Should().BeFalse();
        backend.InMemoryBm25MaxChunks.Should().Be(5_000);
    }

    [Fact]
    public async Task UseBackend_CustomBackend_IsWhatRecallQueries()
    {
        var services = new ServiceCollection();
        services.AddReynIndex().UseBackend<InMemoryIndexBackend>();
        using var provider = services.BuildServiceProvider();
        var backend = provider.GetRequiredService<IIndexBackend>();
        backend.Should().BeOfType<InMemoryIndexBackend>();
        await backend.UpsertAsync("events", [new IndexChunk("1", "p", "verify timeout in my_skill")]);

        var result = await provider.GetRequiredService<Recall>().RecallAsync(new RecallRequest { Sources = ["events"], Query = "verify timeout" });

        result.Hits.Select(h => h.Id).Should().Equal("1");
    }

    [Fact]
    public async Task AddReynIndex_RegisteredEmbeddingGenerator_IsUsedByRecall()
    {
        using var dir = new TempDirectory();
        var generator = new HashingEmbeddingGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
        services.AddReynIndex(o => o.RootDirectory = dir.Path);
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<Recall>().RecallAsync(new RecallRequest { Sources = ["events"], Query = "x" });

        generator.Calls.Should().Be(1);
    }

    [Theory]
    [InlineData("", "events", 256, "RootDirectory")]
    [InlineData(".reyn", "../x", 256, "EventsSource")]
    [InlineData(".reyn", "events", 0, "BatchSize")]
    public void AddReynIndex_InvalidOptions_FailValidationWithClearMessage(string root, string source, int batch, string field)
    {
        var services = new ServiceCollection();
        services.AddReynIndex(o =>
        {
            o.RootDirectory = root;
            o.EventsSource = source;
            o.BatchSize = batch;
        });
        using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ReynIndexOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage($"*{field}*");
    }
}
