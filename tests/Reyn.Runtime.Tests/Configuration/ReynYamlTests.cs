using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Configuration;

public sealed class ReynYamlTests
{
    private const string Full = """
        agent: triage
        workspace: ./work
        default_model: gpt-4o-mini
        permissions:
          tool_deny: [shell]
          allow_ops: [read_file, grep, write_file]
        budget:
          max_llm_calls_per_phase: 4
          max_tokens_per_phase: 5000
          phase_timeout_seconds: 90
        loop:
          max_visits: 7
        prices:
          gpt-4o-mini: { input_per_mtok: 0.15, output_per_mtok: 0.60, cached_input_per_mtok: 0.075 }
        skill_resume:
          default: skip
          per_skill:
            blog_publisher: discard_skill
        ops:
          shell: { timeout_seconds: 5, max_output_chars: 1000 }
          web_fetch: { max_bytes: 2048, timeout_seconds: 3 }
        cron:
          jobs: []
        """;

    [Fact]
    public void Apply_FullFile_SetsEveryTypedOption()
    {
        var options = new ReynOptions();

        ReynYaml.Apply(Full, "reyn.yaml", options);

        options.Agent.Should().Be("triage");
        options.WorkspaceDirectory.Should().Be("./work");
        options.DefaultModel.Should().Be("gpt-4o-mini");
        options.Permissions.ToolDeny.Should().Equal("shell");
        options.Permissions.AllowedOps.Should().Equal("read_file", "grep", "write_file");
        options.Budget.MaxLlmCallsPerPhase.Should().Be(4);
        options.Budget.MaxTokensPerPhase.Should().Be(5000);
        options.Budget.PhaseTimeout.Should().Be(TimeSpan.FromSeconds(90));
        options.Loop.MaxVisits.Should().Be(7);
        options.Prices.TryGet("gpt-4o-mini", out var price).Should().BeTrue();
        price.Should().Be(new ModelPrice(0.15m, 0.60m, 0.075m));
        options.SkillResume.Default.Should().Be("skip");
        options.SkillResume.PolicyFor("blog_publisher").Should().Be("discard_skill");
        options.SkillResume.PolicyFor("other").Should().Be("skip");
        options.Shell.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        options.WebFetch.MaxBytes.Should().Be(2048);
        options.ConfigWarnings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("budget:\n  max_llm_calls_per_phase: ten\n", "reyn.yaml:2: budget.max_llm_calls_per_phase: expected an integer, got 'ten'")]
    [InlineData("loop:\n  max_visit: 3\n", "reyn.yaml:2: loop.max_visit: unknown key*Did you mean 'max_visits'?")]
    [InlineData("agent: a\nbugdet:\n  x: 1\n", "reyn.yaml:2: bugdet: unknown key*Did you mean 'budget'?")]
    [InlineData("permissions:\n  tool_deny: shell\n", "reyn.yaml:2: permissions.tool_deny: expected a list*")]
    [InlineData("prices:\n  m: { input_per_mtok: 1 }\n", "reyn.yaml:2: prices.m: needs both input_per_mtok and output_per_mtok*")]
    [InlineData("loop:\n  max_visits: 0\n", "reyn.yaml:2: loop.max_visits: must be at least 1, got 0")]
    [InlineData("agent: [a\n", "reyn.yaml:*: invalid YAML*")]
    public void Apply_BadValue_ErrorNamesFileLineAndKey(string yaml, string expected)
    {
        var act = () => ReynYaml.Apply(yaml, "reyn.yaml", new ReynOptions());

        act.Should().Throw<ReynConfigException>().WithMessage(expected);
    }

    [Fact]
    public void Apply_UnknownResumePolicy_ReportedAndFallsBackToRetry()
    {
        var options = new ReynOptions();

        ReynYaml.Apply("skill_resume:\n  default: maybe\n  per_skill:\n    a: never\n    b: skip\n", "reyn.yaml", options);

        options.SkillResume.Default.Should().Be("retry");
        options.SkillResume.PerSkill.Should().ContainSingle().Which.Should().Be(new KeyValuePair<string, string>("b", "skip"));
        options.ConfigWarnings.Should().HaveCount(2);
        options.ConfigWarnings[0].Should().Contain("reyn.yaml:2: skill_resume.default: unknown policy 'maybe'");
    }

    [Fact]
    public void AddReyn_YamlAndCode_CodeWins()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("reyn.yaml");
        File.WriteAllText(file, "agent: from_yaml\nloop:\n  max_visits: 9\nbudget:\n  max_llm_calls_per_phase: 3\n");
        using var provider = new ServiceCollection()
            .AddReyn(o =>
            {
                o.RootDirectory = dir.Combine(".reyn");
                o.Loop.MaxVisits = 2;
            }, configFile: file)
            .BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ReynOptions>>().Value;

        options.Loop.MaxVisits.Should().Be(2, "code is applied after reyn.yaml");
        options.Agent.Should().Be("from_yaml");
        options.Budget.MaxLlmCallsPerPhase.Should().Be(3);
    }

    [Fact]
    public void AddReyn_ConfigFileFromCode_IsLoaded_AndBadFileFailsAtStart()
    {
        using var dir = new TempDirectory();
        var file = dir.Combine("reyn.yaml");
        File.WriteAllText(file, "loop:\n  max_visits: nope\n");
        using var provider = new ServiceCollection()
            .AddReyn(o =>
            {
                o.RootDirectory = dir.Combine(".reyn");
                o.ConfigFile = file;
            })
            .BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ReynOptions>>().Value;

        act.Should().Throw<ReynConfigException>().WithMessage($"{file}:2: loop.max_visits: expected an integer, got 'nope'");
    }

    [Fact]
    public void AddReyn_InvalidCodeOptions_FailValidationWithMessage()
    {
        using var dir = new TempDirectory();
        using var provider = new ServiceCollection()
            .AddReyn(o =>
            {
                o.RootDirectory = dir.Combine(".reyn");
                o.Agent = "bad/agent";
            })
            .BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ReynOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*Agent must be a name*");
    }
}
