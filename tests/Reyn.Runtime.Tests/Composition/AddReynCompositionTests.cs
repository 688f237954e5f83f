using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Index;
using Reyn.Runtime.Tests.Support;
using Reyn.Scheduling;
using Reyn.State;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Composition;

public sealed class AddReynCompositionTests
{
    [Fact]
    public async Task AddReyn_SkillRun_ActivityStoreGetsSameEventsAsJsonlFile()
    {
        await using var h = new RuntimeHarness();
        var run = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "x" });
            return "done";
        }, p => p.AllowOps("write_file").Write("**")));
        run.Succeeded.Should().BeTrue(run.Error);

        await h.Runtime.Events.Pipeline.FlushAsync();
        var jsonl = Directory.EnumerateFiles(h.Directory.Combine(".reyn", "events"), "*.jsonl", SearchOption.AllDirectories)
            .Single(f => Path.GetFileNameWithoutExtension(f) == run.RunId);
        var fileTypes = File.ReadLines(jsonl).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();

        var store = h.Services.GetRequiredService<IActivityStore>();
        var page = await store.ListAsync(new ActivityQuery { Run = run.RunId, Limit = ActivityQuery.MaxLimit });
        var storeTypes = page.Events.OrderBy(e => e.Id).Select(e => e.Type).ToList();

        fileTypes.Should().Contain(["run_skill_started", "permission_granted", "run_skill_completed"]);
        storeTypes.Should().Equal(fileTypes, "the activity store gets the same events as the run's JSONL file");
        File.Exists(h.Directory.Combine(".reyn", "events.db")).Should().BeTrue();
    }

    [Fact]
    public async Task AddReyn_ProviderDisposedSynchronously_EventsPersistedAndWalReleased()
    {
        using var dir = new TempDirectory("reyn-sync-dispose");
        var root = dir.Combine(".reyn");
        var provider = new ServiceCollection()
            .AddSingleton<IChatClient>(new FakeChatClient())
            .AddReyn(o =>
            {
                o.RootDirectory = root;
                o.WorkspaceDirectory = dir.Combine("workspace");
            })
            .BuildServiceProvider();
        provider.GetRequiredService<CronScheduler>();
        var run = await provider.GetRequiredService<ReynRuntime>().RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "x" });
            return "done";
        }, p => p.AllowOps("write_file").Write("**")));
        run.Succeeded.Should().BeTrue(run.Error);

        var dispose = () => provider.Dispose();

        dispose.Should().NotThrow("hosts may dispose the container synchronously (using var provider = ...), not only with DisposeAsync");
        await using var wal = FileStateLog.Open(new FileStateLogOptions { Path = Path.Combine(root, "state", "wal.jsonl") });
        wal.Recovery.ValidRecords.Should().BeGreaterThan(0, "the WAL was closed and its lock released");
        var stored = await new SqliteActivityStore(Path.Combine(root, "events.db")).ListAsync(new ActivityQuery { Run = run.RunId, Limit = ActivityQuery.MaxLimit });
        stored.Events.Select(e => e.Type).Should().Contain("run_skill_completed", "the activity sink persisted its queue when disposed");
    }

    [Fact]
    public async Task AddReyn_WalDurability_UsesAddReynStateLogWithThatMode()
    {
        await using var h = new RuntimeHarness(o => o.WalDurability = DurabilityMode.Batched);

        var log = h.Services.GetRequiredService<IStateLog>();
        log.Should().BeSameAs(h.Services.GetRequiredService<FileStateLog>(), "AddReyn registers the real AddReynState log, not a private fallback");
        var state = h.Services.GetRequiredService<IOptions<ReynStateOptions>>().Value;
        state.Durability.Should().Be(DurabilityMode.Batched);
        Path.GetFullPath(state.RootDirectory).Should().Be(Path.GetFullPath(h.Directory.Combine(".reyn")));
        h.Services.GetRequiredService<ISnapshotStore>().Should().NotBeNull();
    }

    [Fact]
    public async Task AddReyn_WalDurabilityNull_RunWritesNoWal()
    {
        await using var h = new RuntimeHarness(o => o.WalDurability = null);

        var run = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "x" });
            return null;
        }, p => p.AllowOps("write_file").Write("**")));

        run.Succeeded.Should().BeTrue(run.Error);
        File.Exists(h.Directory.Combine(".reyn", "state", "wal.jsonl")).Should().BeFalse();
    }

    [Fact]
    public async Task AddReyn_Composition_RegistersIndexSchedulerAndRuntimeJobRunner()
    {
        await using var h = new RuntimeHarness();

        h.Services.GetRequiredService<IJobRunner>().Should().BeOfType<RuntimeJobRunner>();
        h.Services.GetRequiredService<CronScheduler>().Should().NotBeNull();
        h.Services.GetRequiredService<IIndexBackend>().Should().BeOfType<SqliteIndexBackend>();
        Path.GetFullPath(h.Services.GetRequiredService<IOptions<ReynIndexOptions>>().Value.RootDirectory)
            .Should().Be(Path.GetFullPath(h.Directory.Combine(".reyn")));
        h.Runtime.Ops.Kinds.Should().Contain(["recall", "hooks_add"]);
        h.Runtime.Skills.Names.Should().Contain([BuiltInSkills.IndexEvents, BuiltInSkills.OpsReport]);
    }

    [Fact]
    public async Task AddReyn_CronJobsFromReynYamlAndRuntimeFile_LoadedIntoSchedulerRuntimeOverridesByName()
    {
        using var dir = new Reyn.Testing.TempDirectory("reyn-compose");
        var root = dir.Combine(".reyn");
        Directory.CreateDirectory(root);
        var yaml = dir.Combine("reyn.yaml");
        File.WriteAllText(yaml, """
            cron:
              jobs:
                - name: index
                  skill: index_events
                  schedule: "0 */6 * * *"
                - name: weekly
                  skill: ops_report
                  schedule: "0 9 * * MON"
            """);
        File.WriteAllText(Path.Combine(root, "cron.yaml"), """
            cron:
              jobs:
                - name: weekly
                  skill: ops_report
                  schedule: "0 10 * * FRI"
            """);
        var services = new ServiceCollection();
        services.AddReyn(o => o.RootDirectory = root, configFile: yaml);
        await using var provider = services.BuildServiceProvider();

        var scheduler = provider.GetRequiredService<CronScheduler>();
        var jobs = scheduler.GetJobs().Select(j => j.Job).ToDictionary(j => j.Name);

        jobs.Keys.Should().BeEquivalentTo(["index", "weekly"]);
        jobs["index"].Schedule.Should().Be("0 */6 * * *");
        jobs["weekly"].Schedule.Should().Be("0 10 * * FRI", ".reyn/cron.yaml overrides reyn.yaml by name");
        jobs["weekly"].Origin.Should().Be(CronJobOrigin.Runtime);
    }

    [Fact]
    public async Task AddReyn_InvalidHookValve_FailsValidationAtStart()
    {
        var services = new ServiceCollection();
        services.AddReyn(o =>
        {
            o.RootDirectory = Path.Combine(Path.GetTempPath(), "reyn-never-created");
            o.MaxHookDrivenTurns = -1;
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ReynOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*max_hook_driven_turns*");
    }
}
