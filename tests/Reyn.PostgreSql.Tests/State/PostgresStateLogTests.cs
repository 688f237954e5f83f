using Reyn.Events;
using Reyn.PostgreSql.Tests.Support;
using Reyn.State;

namespace Reyn.PostgreSql.Tests.State;

public sealed class PostgresStateLogTests : IDisposable
{
    private readonly string _schema = PostgresServer.NewSchema();

    public void Dispose()
    {
        if (PostgresServer.SkipReason is null)
        {
            PostgresServer.DropSchema(_schema);
        }
    }

    [PostgresFact]
    public async Task AppendAsync_TwoHostsOnOneSchema_ShareOneGapFreeSeqSpace()
    {
        await using var hostA = await PostgresStateLog.OpenAsync(PostgresServer.ConnectionString!, _schema);
        await using var hostB = await PostgresStateLog.OpenAsync(PostgresServer.ConnectionString!, _schema);

        var appends = Enumerable.Range(0, 300).Select(i => (i % 2 == 0 ? hostA : hostB)
            .AppendAsync(WalKinds.StepStarted, new EventData { ["i"] = i }).AsTask());
        var seqs = await Task.WhenAll(appends);

        seqs.Order().Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
        var read = new List<WalRecord>();
        await foreach (var record in hostB.ReadFromAsync(1))
        {
            read.Add(record);
        }

        read.Select(r => r.Seq).Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
        read.Select(r => r.Fields.GetProperty("i").GetInt32()).Order().Should().Equal(Enumerable.Range(0, 300));
    }

    [PostgresFact]
    public async Task AppendAsync_ManyConcurrentAppends_ShareTransactions()
    {
        await using var log = await PostgresStateLog.OpenAsync(PostgresServer.ConnectionString!, _schema);

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => log.AppendAsync(WalKinds.InboxPut, new EventData { ["i"] = i }).AsTask()));

        log.CommittedRecordCount.Should().Be(500);
        log.CommitCount.Should().BeLessThan(500, "pending appends are committed together (group commit)");
        log.LastDurableSeq.Should().Be(500);
    }

    [PostgresFact]
    public async Task AppendAsync_AfterDispose_Throws()
    {
        var log = await PostgresStateLog.OpenAsync(PostgresServer.ConnectionString!, _schema);
        await log.DisposeAsync();

        var act = async () => await log.AppendAsync(WalKinds.StepStarted, new EventData());

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task OpenAsync_BadSchemaName_SaysHowToFixIt()
    {
        var act = async () => await PostgresStateLog.OpenAsync("Host=127.0.0.1", "Bad-Schema");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("lower-case letters");
    }
}
