using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reyn.Events;
using Reyn.Scheduling.Tests.Support;
using Reyn.Testing;

namespace Reyn.Scheduling.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task AddReynScheduling_HostLifetime_StartsAndStopsSchedulerAndRunsJobs()
    {
        using var root = new TempDirectory("reyn-cron-host");
        var clock = new ManualTimeProvider();
        var runner = new FakeJobRunner();
        var sink = new RecordingSink();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IEventSink>(sink);
        builder.Services.AddSingleton<IJobRunner>(runner);
        builder.Services.AddReynScheduling(o =>
        {
            o.RootDirectory = root.Path;
            o.Jobs.Add(new CronJob { Name = "index_events_hourly", Skill = "index_events", Schedule = "0 */6 * * *" });
        });
        using var host = builder.Build();
        var scheduler = host.Services.GetRequiredService<CronScheduler>();

        await host.StartAsync();
        scheduler.IsStarted.Should().BeTrue();
        clock.Advance(TimeSpan.FromHours(6));
        await sink.WaitForAsync(EventTypes.CronJobCompleted);
        await host.StopAsync();

        scheduler.IsStarted.Should().BeFalse();
        runner.Calls.Should().ContainSingle().Which.Skill.Should().Be("index_events");
        File.Exists(Path.Combine(root.Path, "state", "cron_status.json")).Should().BeTrue();
    }

    [Fact]
    public async Task AddReynScheduling_NoRunnerRegistered_RecordsErrorSayingWhy()
    {
        using var root = new TempDirectory("reyn-cron-host");
        var clock = new ManualTimeProvider();
        var sink = new RecordingSink();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IEventSink>(sink);
        services.AddReynScheduling(o =>
        {
            o.RootDirectory = root.Path;
            o.Jobs.Add(new CronJob { Name = "j", Skill = "ops_report", Schedule = "* * * * *" });
        });
        await using var provider = services.BuildServiceProvider();
        var scheduler = provider.GetRequiredService<CronScheduler>();
        await scheduler.StartAsync();

        clock.Advance(TimeSpan.FromMinutes(1));
        await sink.WaitForAsync(EventTypes.CronJobFailed);

        scheduler.GetStatus("j")!.LastError.Should().StartWith("JobRunnerUnavailableException: job 'j' (skill 'ops_report') was not run: no IJobRunner is registered");
        await scheduler.StopAsync();
    }

    [Theory]
    [InlineData("", "skill", "* * * * *", "has no name")]
    [InlineData("a", "", "* * * * *", "has no skill")]
    public async Task AddReynScheduling_InvalidJob_FailsHostStartWithReason(string name, string skill, string schedule, string reason)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReynScheduling(o => o.Jobs.Add(new CronJob { Name = name, Skill = skill, Schedule = schedule }));
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(reason);
    }

    [Fact]
    public async Task AddReynScheduling_DuplicateNameInOneOrigin_FailsHostStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddReynScheduling(o =>
        {
            o.Jobs.Add(new CronJob { Name = "dup", Skill = "s", Schedule = "* * * * *" });
            o.Jobs.Add(new CronJob { Name = "dup", Skill = "s", Schedule = "0 * * * *" });
            o.Jobs.Add(new CronJob { Name = "dup", Skill = "s", Schedule = "0 * * * *", Origin = CronJobOrigin.Runtime });
        });
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("'dup' is used twice with origin Startup");
    }
}
