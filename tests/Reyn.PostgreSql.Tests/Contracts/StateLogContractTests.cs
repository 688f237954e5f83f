using Reyn.Events;
using Reyn.PostgreSql.Tests.Support;
using Reyn.State;

namespace Reyn.PostgreSql.Tests.Contracts;

/// <summary>
/// The behaviour every <see cref="IStateLog"/> must have, run against <see cref="FileStateLog"/> and
/// <see cref="PostgresStateLog"/> alike.
/// </summary>
public abstract class StateLogContractTests : IAsyncLifetime
{
    /// <summary>Opens the log under test; a second call opens the same log again (a restart).</summary>
    protected abstract Task<IStateLog> OpenAsync();

    /// <summary>Removes whatever the log stored.</summary>
    protected abstract Task CleanupAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => CleanupAsync();

    [BackendFact]
    public async Task AppendAsync_ConcurrentAppenders_AssignsGapFreeSeqsInOrder()
    {
        await using var log = await OpenAsync();

        var seqs = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 40; i++)
            {
                mine.Add(await log.AppendAsync(WalKinds.StepStarted, new EventData { ["writer"] = w, ["i"] = i }));
            }

            return mine;
        })));

        seqs.SelectMany(s => s).Order().Should().Equal(Enumerable.Range(1, 320).Select(i => (long)i));
        foreach (var writer in seqs)
        {
            writer.Should().BeInAscendingOrder();
        }

        log.LastDurableSeq.Should().Be(320);
        var read = await ReadAllAsync(log, 1);
        read.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, 320).Select(i => (long)i));
    }

    [BackendFact]
    public async Task ReadFromAsync_AfterReopen_ReturnsEveryFieldAndContinuesTheSeq()
    {
        await using (var log = await OpenAsync())
        {
            (await log.AppendAsync(WalKinds.StepStarted, new EventData { ["op"] = "grep", ["attempt"] = 2, ["ok"] = true, ["note"] = null })).Should().Be(1);
            (await log.AppendAsync(WalKinds.StepCompleted, new EventData { ["op"] = "grep", ["result"] = "ünïcode \"quoted\"" })).Should().Be(2);
        }

        await using var reopened = await OpenAsync();
        reopened.LastDurableSeq.Should().Be(2);
        var records = await ReadAllAsync(reopened, 1);
        records.Select(r => r.Kind).Should().Equal(WalKinds.StepStarted, WalKinds.StepCompleted);
        records[0].GetString("op").Should().Be("grep");
        records[0].Fields.GetProperty("attempt").GetInt32().Should().Be(2);
        records[0].Fields.GetProperty("ok").GetBoolean().Should().BeTrue();
        records[0].Fields.GetProperty("note").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
        records[1].GetString("result").Should().Be("ünïcode \"quoted\"");
        records[0].Timestamp.Offset.Should().Be(TimeSpan.Zero);
        (await reopened.AppendAsync(WalKinds.SkillCompleted, new EventData { ["run_id"] = "r1" })).Should().Be(3);
    }

    [BackendFact]
    public async Task ReadFromAsync_FromSeq_SkipsEarlierRecords()
    {
        await using var log = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(WalKinds.InboxPut, new EventData { ["i"] = i });
        }

        (await ReadAllAsync(log, 4)).Select(r => r.Seq).Should().Equal(4, 5);
        (await ReadAllAsync(log, 6)).Should().BeEmpty();
    }

    [BackendFact]
    public async Task AppendAsync_UnknownKind_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();

        var act = async () => await log.AppendAsync("not_a_kind", new EventData());

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("not_a_kind").And.Contain("WalKinds.All");
        (await log.AppendAsync(WalKinds.StepStarted, new EventData())).Should().Be(1);
    }

    [BackendFact]
    public async Task AppendAsync_ReservedFieldName_ThrowsAndWritesNothing()
    {
        await using var log = await OpenAsync();

        var act = async () => await log.AppendAsync(WalKinds.StepStarted, new EventData { ["seq"] = 9 });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("reserved");
        (await ReadAllAsync(log, 1)).Should().BeEmpty();
        log.LastDurableSeq.Should().Be(0);
    }

    protected static async Task<List<WalRecord>> ReadAllAsync(IStateLog log, long from)
    {
        var records = new List<WalRecord>();
        await foreach (var record in log.ReadFromAsync(from))
        {
            records.Add(record);
        }

        return records;
    }
}

/// <summary>The state log contract on the local file WAL.</summary>
public sealed class FileStateLogContractTests : StateLogContractTests
{
    private readonly Reyn.Testing.TempDirectory _dir = new("reyn-pg-contract-wal");

    protected override Task<IStateLog> OpenAsync() =>
        Task.FromResult<IStateLog>(FileStateLog.Open(new FileStateLogOptions { Path = _dir.Combine("wal.jsonl") }));

    protected override Task CleanupAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The state log contract on PostgreSQL.</summary>
public sealed class PostgresStateLogContractTests : StateLogContractTests, IRequiresPostgres
{
    private readonly string _schema = PostgresServer.NewSchema();

    protected override async Task<IStateLog> OpenAsync() => await PostgresStateLog.OpenAsync(PostgresServer.ConnectionString!, _schema);

    protected override Task CleanupAsync()
    {
        PostgresServer.DropSchema(_schema);
        return Task.CompletedTask;
    }
}
