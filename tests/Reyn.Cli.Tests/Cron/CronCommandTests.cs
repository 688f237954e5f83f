using System.Text.Json;
using Reyn.Cli.Tests.Cron.Support;
using Reyn.Scheduling;
using Reyn.Testing;

namespace Reyn.Cli.Tests.Cron;

public sealed class CronCommandTests : IDisposable
{
    private const string ReynYaml = """
        cron:
          jobs:
            - name: index_events_hourly
              skill: index_events
              schedule: "0 */6 * * *"
            - name: weekly_ops_report
              skill: ops_report
              schedule: "0 9 * * MON"
              input:
                since_days: 7
            - name: broken
              skill: ops_report
              schedule: "61 * * * *"
        """;

    private readonly TempDirectory _project = new("reyn-cli-cron");

    public CronCommandTests() => Directory.CreateDirectory(Root);

    private string Root => _project.Combine(".reyn");

    public void Dispose() => _project.Dispose();

    private async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await ReynCli.RunAsync([.. args, "--root", Root], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    public async Task ListAndStatus_NoJobs_SayWhereJobsGo(string command)
    {
        var (exit, output, _) = await Run("cron", command);

        exit.Should().Be(0);
        output.Trim().Should().Be(
            $"(no jobs configured: add them under cron.jobs in {_project.Combine("reyn.yaml")} or {Path.Combine(Root, "cron.yaml")})");
    }

    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    public async Task ListAndStatus_NoJobsJson_WriteVersionAndEmptyJobs(string command)
    {
        var (exit, output, _) = await Run("cron", command, "--json");

        exit.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        json.RootElement.GetProperty("jobs").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task List_JobsFromBothFiles_ShowsScheduleNextRunAndDisabledReason()
    {
        File.WriteAllText(_project.Combine("reyn.yaml"), ReynYaml);
        File.WriteAllText(Path.Combine(Root, "cron.yaml"), """
            cron:
              jobs:
                - name: weekly_ops_report
                  skill: ops_report
                  schedule: "0 0 1 1 *"
                  time_zone: Europe/Berlin
            """);

        var (exit, output, _) = await Run("cron", "list");

        exit.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^NAME\s+SKILL\s+SCHEDULE\s+ZONE\s+ENABLED\s+NEXT RUN\s+REASON$");
        lines.Should().HaveCount(4);
        lines[1].Should().StartWith("index_events_hourly").And.Contain("0 */6 * * *").And.Contain(" true ");
        var nextNewYearBerlin = CronSchedule.Parse("0 0 1 1 *").GetNextOccurrence(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"))!.Value;
        lines[2].Should().StartWith("weekly_ops_report").And.Contain("0 0 1 1 *").And.Contain("Europe/Berlin")
            .And.Contain(nextNewYearBerlin.ToString("yyyy-MM-ddTHH:mm:ssZ"), "cron.yaml overrides reyn.yaml by name");
        lines[3].Should().StartWith("broken").And.Contain(" false ").And.Contain("invalid schedule").And.Contain("Minute");
    }

    [Fact]
    public async Task List_Json_CarriesVersionJobFieldsAndReason()
    {
        File.WriteAllText(_project.Combine("reyn.yaml"), ReynYaml);

        var (exit, output, _) = await Run("cron", "list", "--json");

        exit.Should().Be(0);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        var jobs = json.RootElement.GetProperty("jobs").EnumerateArray().ToList();
        jobs.Select(j => j.GetProperty("name").GetString()).Should().Equal("index_events_hourly", "weekly_ops_report", "broken");
        jobs[1].GetProperty("input").GetProperty("since_days").GetInt64().Should().Be(7);
        jobs[1].GetProperty("origin").GetString().Should().Be("startup");
        jobs[1].GetProperty("time_zone").GetString().Should().Be("UTC");
        jobs[1].GetProperty("enabled").GetBoolean().Should().BeTrue();
        jobs[1].GetProperty("next_run_at").GetString().Should().NotBeNullOrEmpty();
        jobs[2].GetProperty("enabled").GetBoolean().Should().BeFalse();
        jobs[2].GetProperty("next_run_at").ValueKind.Should().Be(JsonValueKind.Null);
        jobs[2].GetProperty("disabled_reason").GetString().Should().Contain("'61 * * * *' is not a valid cron expression");
    }

    [Fact]
    public async Task List_MalformedCronSection_IsUserErrorNamingFileLineAndKey()
    {
        File.WriteAllText(_project.Combine("reyn.yaml"), "cron:\n  jobs:\n    - name: a\n      schedule: '* * * * *'\n");

        var (exit, output, error) = await Run("cron", "list");

        exit.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().Contain("reyn.yaml:3: cron.jobs[0].skill: is missing");
    }

    [Fact]
    public async Task Status_PersistedStatus_ShowsLastRunStatusDurationAndError()
    {
        File.WriteAllText(_project.Combine("reyn.yaml"), ReynYaml);
        CronStatusStore.ForRoot(Root).Save(new Dictionary<string, CronJobStatus>
        {
            ["weekly_ops_report"] = new()
            {
                LastRunAt = new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero),
                LastStatus = CronJobStatus.Error,
                LastDuration = TimeSpan.FromMilliseconds(1234.5),
                LastError = "InvalidOperationException: index is locked",
                SkippedCount = 2,
                LastSkippedAt = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero),
                LastSkipReason = "the previous run is still in progress",
            },
        });

        var (exit, output, _) = await Run("cron", "status");
        var (jsonExit, jsonOutput, _) = await Run("cron", "status", "--json");

        exit.Should().Be(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^NAME\s+ENABLED\s+LAST RUN\s+STATUS\s+DURATION\s+NEXT RUN\s+SKIPPED\s+ERROR$");
        lines[1].Should().StartWith("index_events_hourly").And.MatchRegex(@"true\s+-\s+-\s+-");
        lines[2].Should().StartWith("weekly_ops_report").And.Contain("2026-11-16T09:00:00Z").And.Contain(" error ")
            .And.Contain("1234.5 ms").And.EndWith("InvalidOperationException: index is locked");
        jsonExit.Should().Be(0);
        using var json = JsonDocument.Parse(jsonOutput);
        json.RootElement.GetProperty("version").GetInt32().Should().Be(1);
        var report = json.RootElement.GetProperty("jobs")[1];
        report.GetProperty("last_status").GetString().Should().Be("error");
        report.GetProperty("last_error").GetString().Should().Be("InvalidOperationException: index is locked");
        report.GetProperty("last_duration_ms").GetDouble().Should().Be(1234.5);
        report.GetProperty("last_run_at").GetString().Should().Be("2026-11-16T09:00:00.0000000Z");
        report.GetProperty("skipped_count").GetInt64().Should().Be(2);
        report.GetProperty("last_skipped_at").GetString().Should().Be("2026-11-16T10:00:00.0000000Z");
        report.GetProperty("last_skip_reason").GetString().Should().Be("the previous run is still in progress");
        json.RootElement.GetProperty("jobs")[0].GetProperty("last_status").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Status_CorruptStatusFile_FailsWithClearErrorAndKeepsFile()
    {
        File.WriteAllText(_project.Combine("reyn.yaml"), ReynYaml);
        Directory.CreateDirectory(Path.Combine(Root, "state"));
        File.WriteAllText(Path.Combine(Root, "state", "cron_status.json"), "{ nope");

        var (exit, _, error) = await Run("cron", "status");

        exit.Should().Be(1);
        error.Should().Contain("cron_status.json is not valid").And.Contain("delete or move it");
        File.ReadAllText(Path.Combine(Root, "state", "cron_status.json")).Should().Be("{ nope");
    }

    [Fact]
    public async Task Cron_NoSubcommand_IsUserError()
    {
        var (exit, _, error) = await Run("cron");

        exit.Should().Be(2);
        error.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Run_BuiltInSkillJob_RunsThroughRuntimeAndRecordsOkUntilCtrlC()
    {
        File.WriteAllText(Path.Combine(Root, "cron.yaml"), """
            cron:
              jobs:
                - name: every_second
                  skill: index_events
                  schedule: "* * * * * *"
            """);
        var stdout = new SignalingWriter();
        var stderr = new StringWriter();
        using var ctrlC = new CancellationTokenSource();

        var run = ReynCli.RunAsync(["cron", "run", "--root", Root], stdout, stderr, ctrlC.Token);
        await stdout.WaitForAsync("Started cron scheduler with 1 enabled job(s):");
        await stdout.WaitForAsync("Cron job every_second completed");
        await ctrlC.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        exit.Should().Be(0, stderr.ToString());
        stdout.ToString().Should().NotContain("no runtime available").And.EndWith("Cron scheduler stopped." + Environment.NewLine);
        CronStatusStore.ForRoot(Root).TryLoad(out var statuses, out _).Should().BeTrue();
        statuses!["every_second"].LastStatus.Should().Be(CronJobStatus.Ok);
        Directory.EnumerateFiles(Path.Combine(Root, "events"), "*index_events*.jsonl", SearchOption.AllDirectories)
            .Should().NotBeEmpty("the scheduled skill ran through the runtime and wrote its audit log");
    }

    [Fact]
    public async Task Run_SkillNotRegistered_RecordsErrorNamingTheSkill()
    {
        File.WriteAllText(Path.Combine(Root, "cron.yaml"), """
            cron:
              jobs:
                - name: every_second
                  skill: no_such_skill
                  schedule: "* * * * * *"
            """);
        var stdout = new SignalingWriter();
        var stderr = new StringWriter();
        using var ctrlC = new CancellationTokenSource();

        var run = ReynCli.RunAsync(["cron", "run", "--root", Root], stdout, stderr, ctrlC.Token);
        await stdout.WaitForAsync("Cron job every_second failed");
        await ctrlC.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        exit.Should().Be(0, stderr.ToString());
        CronStatusStore.ForRoot(Root).TryLoad(out var statuses, out _).Should().BeTrue();
        statuses!["every_second"].LastStatus.Should().Be(CronJobStatus.Error);
        statuses["every_second"].LastError.Should().StartWith("ScheduledSkillFailedException: cron job 'every_second' names skill 'no_such_skill', which is not registered");
    }

    [Fact]
    public async Task Run_NoJobs_SaysSoAndExits()
    {
        var (exit, output, _) = await Run("cron", "run");

        exit.Should().Be(0);
        output.Should().Contain("No jobs configured.");
    }
}
