using Reyn.State.Tests.Support;
using Reyn.Testing;
using static Reyn.State.Tests.Support.WalTestHelpers;

namespace Reyn.State.Tests.Log;

/// <summary>
/// The leader/follower group commit of <see cref="DurabilityMode.Always"/>. Serial: an appender leads inline only when
/// the thread pool has nothing queued, which other tests running in parallel would make untrue.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class GroupCommitLeaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-wal-leader");

    private string WalPath => _dir.Combine("state", "wal.jsonl");

    public void Dispose() => _dir.Dispose();

    private (FileStateLog Log, GatedWalFile File) OpenGated()
    {
        GatedWalFile? file = null;
        var options = Options(WalPath);
        options.FileFactory = p => file = new GatedWalFile(p);
        var log = FileStateLog.Open(options);
        return (log, file!);
    }

    [Fact]
    public async Task AppendAsync_LoneAlwaysAppender_SyncsOnItsOwnThreadAndReturnsCompletedAndDurable()
    {
        var (log, file) = OpenGated();
        await using (log)
        {
            // Pool work queued by someone else (the log's observer pump starting, xunit) makes an append defer to the
            // writer thread, so count: a lone appender on a quiet pool must lead nearly always.
            const int appends = 20;
            var inline = 0;
            for (var i = 1; i <= appends; i++)
            {
                var pending = log.AppendAsync(WalKinds.InboxPut, Fields(("i", i)));
                if (pending.IsCompletedSuccessfully)
                {
                    inline++;
                    log.LastDurableSeq.Should().Be(i, "an inline leader returns only once its record is synced");
                    file.SyncThreads[^1].Should().Be(Environment.CurrentManagedThreadId, "no hand-off to another thread");
                }

                (await pending).Should().Be(i);
                log.LastDurableSeq.Should().BeGreaterThanOrEqualTo(i);
            }

            inline.Should().BeGreaterThanOrEqualTo(appends / 2, "an appender that finds no sync in flight and a quiet pool leads its own commit inline");
            file.Syncs.Should().Be(appends, "each lone append is its own group");
        }

        (await ReadFileAsync(WalPath)).Select(r => r.Int("i")).Should().Equal(Enumerable.Range(1, 20));
    }

    [Fact]
    public async Task AppendAsync_ArrivalsDuringLeaderSync_WaitForItThenShareOneSync()
    {
        var (log, file) = OpenGated();
        await using (log)
        {
            file.Close();
            var leader = Task.Run(() => log.AppendAsync(WalKinds.InboxPut, Fields(("i", 0))).AsTask());
            await file.SyncHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));

            const int followers = 20;
            var waits = new List<Task<long>>();
            for (var i = 1; i <= followers; i++)
            {
                waits.Add(log.AppendAsync(WalKinds.InboxPut, Fields(("i", i))).AsTask());
            }

            waits.Should().OnlyContain(t => !t.IsCompleted, "nothing is acknowledged before its sync");
            file.SyncsStarted.Should().Be(1, "followers never start a second sync while the leader's is in flight");
            log.LastDurableSeq.Should().Be(0);
            (await ReadAllAsync(log)).Should().BeEmpty("readers never see records whose sync has not finished");

            file.Open();
            (await leader).Should().Be(1);
            (await Task.WhenAll(waits)).Should().Equal(Enumerable.Range(2, followers).Select(i => (long)i));

            file.Syncs.Should().Be(2, "every follower that arrived during the leader's sync shares the next one");
            file.MaxConcurrentSyncs.Should().Be(1);
            log.LastDurableSeq.Should().Be(followers + 1);
        }

        (await ReadFileAsync(WalPath)).Select(r => r.Int("i")).Should().Equal(Enumerable.Range(0, 21));
    }

    [Fact]
    public async Task AppendAsync_64ConcurrentAlwaysAppenders_SyncsNeverOverlapAndGroupsForm()
    {
        var (log, file) = OpenGated();
        await using (log)
        {
            const int appenders = 64;
            const int each = 10;
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, appenders).Select(w => Task.Run(async () =>
            {
                start.Wait();
                for (var i = 0; i < each; i++)
                {
                    var seq = await log.AppendAsync(WalKinds.StepCompleted, Fields(("w", w), ("i", i)));
                    seq.Should().BeLessThanOrEqualTo(log.LastDurableSeq, "acknowledged only once durable");
                }
            })).ToArray();
            start.Set();
            await Task.WhenAll(tasks);

            log.LastDurableSeq.Should().Be(appenders * each);
            file.MaxConcurrentSyncs.Should().Be(1, "one sync at a time; later arrivals wait and share the next");
            file.Syncs.Should().BeLessThan(appenders * each, "appenders waiting at the same moment share one sync");
        }

        (await ReadFileAsync(WalPath)).Select(r => r.Seq).Should().Equal(Enumerable.Range(1, 640).Select(i => (long)i));
    }

    [Fact]
    public async Task AppendAsync_BatchedPlainFields_AllocatesNothingPerAppend()
    {
        var options = Options(WalPath, DurabilityMode.Batched);
        options.BatchInterval = TimeSpan.FromHours(1);
        await using var log = FileStateLog.Open(options, new ManualTimeProvider());
        var fields = Fields(("run_id", "run-7f3a9c"), ("phase", "act"), ("attempt", 3), ("ok", true), ("result", "ok: wrote 4,096 bytes"));
        for (var i = 0; i < 200; i++)
        {
            await log.AppendAsync(WalKinds.StepCompleted, fields);
        }

        const int appends = 2_000;
        var pendingCount = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < appends; i++)
        {
            if (!log.AppendAsync(WalKinds.StepCompleted, fields).IsCompletedSuccessfully)
            {
                pendingCount++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        pendingCount.Should().Be(0, "a Batched append completes synchronously");
        // The smallest object is 24 bytes, so one allocation per append would show as >= 48,000 bytes; the bound leaves
        // room for one-off runtime work on this thread (lock inflation, tiered JIT) that is not per append.
        allocated.Should().BeLessThan(appends * 8, "a Batched append serializes into the pooled buffer without allocating");
    }
}
