using Reyn.Index.Tests.Support;
using Reyn.Testing;
using Reyn.Testing.Events;

namespace Reyn.Index.Tests.Indexing;

/// <summary>index_events parses on one thread while it writes on another: order, errors and cancellation stay sequential.</summary>
public sealed class EventIndexerPipelineTests : IDisposable
{
    private const int RunCount = 30;
    private readonly TempDirectory _dir = new("reyn-index-pipeline");
    private readonly RunLogWriter _log;

    public EventIndexerPipelineTests()
    {
        _log = new RunLogWriter(_dir.Path);
        for (var i = 0; i < RunCount; i++)
        {
            var start = Runs.Day.AddMinutes(i);
            _log.Write(i % 3 == 0 ? Runs.Failure("r" + i.ToString("00"), start: start) : Runs.Success("r" + i.ToString("00"), start: start));
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task IndexAsync_ManyBatchesOverManyFiles_IndexesEveryRunAndReportsProgressInOrder()
    {
        var backend = new SqliteIndexBackend(_dir.Combine("index"));
        var progress = new SyncProgress<IndexEventsProgress>();

        var result = await new EventIndexer(backend, _dir.Path) { BatchSize = 4 }.IndexAsync(progress: progress);

        result.IndexedRuns.Should().Be(RunCount);
        result.FilesRead.Should().Be(RunCount);
        (await backend.GetStatsAsync("events")).ChunkCount.Should().Be(RunCount);
        var hits = (await backend.QueryAsync("events", new IndexQuery("", 100))).Hits;
        hits.Select(h => h.Id).Should().BeEquivalentTo(Enumerable.Range(0, RunCount).Select(i => "r" + i.ToString("00")));
        progress.Reports.Select(p => p.FilesDone).Should().BeInAscendingOrder();
        progress.Reports.Select(p => p.IndexedRuns).Should().BeInAscendingOrder();
        progress.Reports.Should().OnlyContain(p => p.IndexedRuns <= p.FilesDone, "a file's runs are written before its progress is reported");
        progress.Reports.Should().Contain(p => p.IndexedRuns > 0 && p.IndexedRuns < RunCount, "batches are written while the log is still being read");
        progress.Reports[^1].Should().Be(new IndexEventsProgress(RunCount, RunCount, RunCount));
    }

    [Fact]
    public async Task IndexAsync_WriteFails_ThrowsTheWriteErrorAndWritesNoCursor()
    {
        var backend = new FailingWriteBackend();
        var indexer = new EventIndexer(backend, _dir.Path) { BatchSize = 2 };

        var act = () => indexer.IndexAsync();

        (await act.Should().ThrowExactlyAsync<IOException>()).WithMessage("disk full");
        backend.UpsertCalls.Should().Be(1, "the first failed write stops the pass");
        indexer.ReadCursor().Should().BeNull();
        File.Exists(indexer.CursorPath).Should().BeFalse();
    }

    [Fact]
    public async Task IndexAsync_CancelledMidPass_ThrowsAndWritesNoCursor()
    {
        var backend = new SqliteIndexBackend(_dir.Combine("index"));
        using var cts = new CancellationTokenSource();
        var progress = new CallbackProgress<IndexEventsProgress>(p =>
        {
            if (p.IndexedRuns > 0)
            {
                cts.Cancel();
            }
        });
        var indexer = new EventIndexer(backend, _dir.Path) { BatchSize = 1 };

        var act = () => indexer.IndexAsync(progress: progress, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        indexer.ReadCursor().Should().BeNull();
        (await backend.GetStatsAsync("events")).ChunkCount.Should().BeInRange(1, RunCount - 1);
    }

    [Fact]
    public async Task IndexAsync_AlreadyCancelled_ThrowsBeforeWritingAnything()
    {
        var backend = new SqliteIndexBackend(_dir.Combine("index"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => new EventIndexer(backend, _dir.Path).IndexAsync(cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await backend.GetStatsAsync("events")).ChunkCount.Should().Be(0);
    }
}
