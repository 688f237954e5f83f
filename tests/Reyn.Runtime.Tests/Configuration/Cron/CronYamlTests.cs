using Reyn.Runtime.Configuration.Cron;
using Reyn.Scheduling;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Configuration.Cron;

public sealed class CronYamlTests
{
    private const string SeedExample = """
        security:
          mode: strict
        cron:
          jobs:
            - name: index_events_hourly
              skill: index_events
              schedule: "0 */6 * * *"   # every 6 hours
              input: {}
              enabled: true
            - name: weekly_ops_report
              skill: ops_report
              schedule: "0 9 * * MON"   # Monday 09:00
              input:
                since_days: 7
        """;

    [Fact]
    public void Parse_SeedExample_ReadsBothJobsWithDefaults()
    {
        var jobs = CronYaml.Parse(SeedExample, "reyn.yaml", CronJobOrigin.Startup);

        jobs.Select(j => j.Name).Should().Equal("index_events_hourly", "weekly_ops_report");
        var report = jobs[1];
        report.Skill.Should().Be("ops_report");
        report.Schedule.Should().Be("0 9 * * MON");
        report.Input.Should().BeEquivalentTo(new Dictionary<string, object?> { ["since_days"] = 7L });
        report.Enabled.Should().BeTrue();
        report.TimeZone.Should().Be(TimeZoneInfo.Utc);
        report.Misfire.Should().Be(MisfirePolicy.Skip);
        report.Origin.Should().Be(CronJobOrigin.Startup);
        report.DisabledReason.Should().BeNull();
        jobs[0].Input.Should().BeEmpty();
    }

    [Fact]
    public void Parse_AllOptionalKeys_AreRead()
    {
        const string yaml = """
            cron:
              jobs:
                - name: berlin
                  skill: ops_report
                  schedule: "*/30 * * * * *"
                  enabled: false
                  time_zone: Europe/Berlin
                  misfire: run_once
                  input:
                    label: "007"
                    ratio: 0.5
                    flags: [a, true, 3]
                    nested: { empty: null }
            """;

        var job = CronYaml.Parse(yaml, ".reyn/cron.yaml", CronJobOrigin.Runtime).Single();

        job.Enabled.Should().BeFalse();
        job.TimeZone.Id.Should().Be("Europe/Berlin");
        job.Misfire.Should().Be(MisfirePolicy.RunOnce);
        job.Origin.Should().Be(CronJobOrigin.Runtime);
        job.Input["label"].Should().Be("007", "quoted scalars stay strings");
        job.Input["ratio"].Should().Be(0.5);
        job.Input["flags"].Should().BeEquivalentTo(new object?[] { "a", true, 3L });
        job.Input["nested"].Should().BeEquivalentTo(new Dictionary<string, object?> { ["empty"] = null });
    }

    [Fact]
    public void Parse_BadExpression_KeepsJobDisabledWithReasonAndLine()
    {
        const string yaml = """
            cron:
              jobs:
                - name: broken
                  skill: ops_report
                  schedule: "61 * * * *"
                - name: fine
                  skill: ops_report
                  schedule: "@daily"
            """;

        var jobs = CronYaml.Parse(yaml, "reyn.yaml", CronJobOrigin.Startup);

        jobs.Should().HaveCount(2);
        jobs[0].Enabled.Should().BeFalse();
        jobs[0].DisabledReason.Should().StartWith("invalid schedule (reyn.yaml:5): '61 * * * *' is not a valid cron expression").And.Contain("Minute");
        CronJobState.Evaluate(jobs[0], DateTimeOffset.UnixEpoch).IsActive.Should().BeFalse();
        jobs[1].DisabledReason.Should().BeNull();
        jobs[1].Enabled.Should().BeTrue();
    }

    [Fact]
    public void Parse_UnknownTimeZone_KeepsJobDisabledWithReason()
    {
        const string yaml = """
            cron:
              jobs:
                - name: mars
                  skill: ops_report
                  schedule: "0 9 * * *"
                  time_zone: Mars/Olympus_Mons
            """;

        var job = CronYaml.Parse(yaml, "cron.yaml", CronJobOrigin.Runtime).Single();

        job.Enabled.Should().BeFalse();
        job.DisabledReason.Should().Contain("unknown time zone 'Mars/Olympus_Mons'").And.Contain("cron.yaml:6").And.Contain("Europe/Berlin");
    }

    [Theory]
    [InlineData("cron:\n  jobs:\n    - skill: s\n      schedule: '* * * * *'\n", 3, "cron.jobs[0].name", "is missing")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      schedule: '* * * * *'\n", 3, "cron.jobs[0].skill", "is missing")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n", 3, "cron.jobs[0].schedule", "is missing")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: '* * * * *'\n      enabled: maybe\n", 6, "cron.jobs[0].enabled", "must be true or false")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: '* * * * *'\n      misfire: twice\n", 6, "cron.jobs[0].misfire", "'skip'")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: '* * * * *'\n      input: [1, 2]\n", 6, "cron.jobs[0].input", "must be a mapping")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: '* * * * *'\n      shedule: x\n", 6, "cron.jobs[0].shedule", "unknown key 'shedule'")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: '* * * * *'\n    - name: a\n      skill: t\n      schedule: '0 * * * *'\n", 6, "cron.jobs[1].name", "already used by the job at line 3")]
    [InlineData("cron:\n  jobs: nightly\n", 2, "cron.jobs", "must be a list")]
    [InlineData("cron: [1]\n", 1, "cron", "must be a mapping")]
    [InlineData("cron:\n  jobs:\n    - just a string\n", 3, "cron.jobs[0]", "must be a mapping")]
    public void Parse_MalformedSection_ThrowsNamingFileLineAndKey(string yaml, int line, string key, string problem)
    {
        var act = () => CronYaml.Parse(yaml, "/proj/reyn.yaml", CronJobOrigin.Startup);

        var error = act.Should().Throw<CronConfigException>().Which;
        error.FilePath.Should().Be("/proj/reyn.yaml");
        error.Line.Should().Be(line);
        error.Key.Should().Be(key);
        error.Message.Should().StartWith($"/proj/reyn.yaml:{line}: {key}: ").And.Contain(problem);
    }

    [Theory]
    [InlineData("jobs:\n  - name: a\n    skill: s\n    schedule: '* * * * *'\n", 1, "jobs", "belongs under 'cron:'")]
    [InlineData("cron:\n  jobs: []\nsecurity:\n  mode: strict\n", 3, "security", "holds only 'cron:'")]
    public void Parse_RuntimeFileWithAnotherSection_ThrowsInsteadOfSchedulingNothing(string yaml, int line, string key, string problem)
    {
        var act = () => CronYaml.Parse(yaml, "/proj/.reyn/cron.yaml", CronJobOrigin.Runtime);

        var error = act.Should().Throw<CronConfigException>().Which;
        error.Message.Should().StartWith($"/proj/.reyn/cron.yaml:{line}: {key}: ").And.Contain(problem);
        CronYaml.Parse(yaml, "/proj/reyn.yaml", CronJobOrigin.Startup).Should().BeEmpty("reyn.yaml holds other packages' sections too");
    }

    [Fact]
    public void Parse_InvalidYamlSyntax_ThrowsWithLine()
    {
        var act = () => CronYaml.Parse("cron:\n  jobs:\n    - name: [unclosed\n", "reyn.yaml", CronJobOrigin.Startup);

        var error = act.Should().Throw<CronConfigException>().Which;
        error.Line.Should().BeGreaterThan(0);
        error.Message.Should().StartWith("reyn.yaml:").And.Contain("not valid YAML");
    }

    [Theory]
    [InlineData("")]
    [InlineData("security:\n  mode: strict\n")]
    [InlineData("cron:\n")]
    [InlineData("cron:\n  jobs:\n")]
    [InlineData("cron:\n  jobs: []\n")]
    public void Parse_NoJobs_ReturnsEmpty(string yaml)
    {
        CronYaml.Parse(yaml, "reyn.yaml", CronJobOrigin.Startup).Should().BeEmpty();
    }

    [Fact]
    public void Load_ReynYamlThenCronYaml_RuntimeJobOverridesByName()
    {
        using var project = new TempDirectory("reyn-cronyaml");
        Directory.CreateDirectory(project.Combine(".reyn"));
        File.WriteAllText(project.Combine("reyn.yaml"), SeedExample);
        File.WriteAllText(project.Combine(".reyn", "cron.yaml"), """
            cron:
              jobs:
                - name: weekly_ops_report
                  skill: ops_report
                  schedule: "0 8 * * FRI"
                - name: extra
                  skill: index_events
                  schedule: "@hourly"
            """);

        var jobs = CronYaml.Load(project.Combine("reyn.yaml"), CronJobOrigin.Startup)
            .Concat(CronYaml.Load(project.Combine(".reyn", "cron.yaml"), CronJobOrigin.Runtime));
        var effective = CronJobState.Effective(jobs);

        effective.Select(j => (j.Name, j.Schedule, j.Origin)).Should().Equal(
            ("index_events_hourly", "0 */6 * * *", CronJobOrigin.Startup),
            ("weekly_ops_report", "0 8 * * FRI", CronJobOrigin.Runtime),
            ("extra", "@hourly", CronJobOrigin.Runtime));
    }

    [Fact]
    public void Load_MissingFile_ReturnsEmpty()
    {
        using var project = new TempDirectory("reyn-cronyaml");

        CronYaml.Load(project.Combine("reyn.yaml"), CronJobOrigin.Startup).Should().BeEmpty();
    }
}
