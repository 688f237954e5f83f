using System.Diagnostics;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class InSetLoaderTests
{
    private const string ValidMcp = """
        mcp:
          servers:
            files:
              command: mcp-files
              args: [--root, /srv]
            search:
              url: https://search.example/mcp
        """;

    private const string ValidCron = """
        cron:
          jobs:
            - name: morning_news
              schedule: "0 9 * * *"
              skill: news_digest
              input: { topic: ai }
            - name: reindex
              schedule: "*/15 * * * *"
              skill: index_events
              enabled: false
        """;

    private const string ValidHooks = """
        hooks:
          - on: turn_end
            name: recap
            template_push:
              message: "Turn {{turn}} ended"
              wake: false
        """;

    [Fact]
    public void Load_MissingRootDirectory_ReturnsEmptyComponents()
    {
        using var workspace = new InSetWorkspace(createRoot: false);

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.IsValid.Should().BeTrue();
        snapshot.Mcp.Servers.Should().BeEmpty();
        snapshot.Cron.Jobs.Should().BeEmpty();
        snapshot.Hooks.Hooks.Should().BeEmpty();
        snapshot.Agents.Should().BeEmpty();
        Directory.Exists(workspace.Root).Should().BeFalse("loading never creates the IN-set");
    }

    [Fact]
    public void Load_MissingAndEmptyFiles_AreEmptyComponentsWithoutErrors()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", string.Empty);
        workspace.Write("hooks.yaml", "# nothing yet\n");
        Directory.CreateDirectory(workspace.PathOf("agents/helper"));

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.Errors.Should().BeEmpty();
        snapshot.Cron.Jobs.Should().BeEmpty();
        snapshot.Hooks.Hooks.Should().BeEmpty();
        snapshot.Agents.Should().ContainSingle().Which.Should().Match<AgentInSet>(a => a.Name == "helper" && a.Profile == null && a.Hooks.Hooks.Count == 0);
    }

    [Fact]
    public void Load_ValidFiles_ParsesTypedSnapshot()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("mcp.yaml", ValidMcp);
        workspace.Write("cron.yaml", ValidCron);
        workspace.Write("hooks.yaml", ValidHooks);
        workspace.Write("agents/writer/profile.yaml", "description: writes things\nallowed_tools: [read_file, write_file]\ntool_deny: [hooks_add]\n");
        workspace.Write("agents/writer/hooks.yaml", "hooks:\n  - on: skill_end\n    template_push:\n      message: done {{skill}}\n");

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.Errors.Should().BeEmpty();
        snapshot.Mcp.Servers.Select(s => s.Name).Should().Equal("files", "search");
        snapshot.Mcp.Servers[0].Args.Should().Equal("--root", "/srv");
        snapshot.Mcp.Servers[1].Url.Should().Be("https://search.example/mcp");
        snapshot.Cron.Jobs.Select(j => (j.Name, j.Skill, j.Schedule, j.Enabled, j.Origin)).Should().Equal(
            ("morning_news", "news_digest", "0 9 * * *", true, Reyn.Scheduling.CronJobOrigin.Runtime),
            ("reindex", "index_events", "*/15 * * * *", false, Reyn.Scheduling.CronJobOrigin.Runtime));
        snapshot.Cron.Jobs[0].Input.Should().Contain("topic", "ai");
        snapshot.Hooks.Hooks.Should().Equal(new HookDefinition(HookPoint.TurnEnd, "Turn {{turn}} ended", Wake: false, Name: "recap"));
        var writer = snapshot.FindAgent("writer")!;
        writer.Profile!.AllowedTools.Should().Equal("read_file", "write_file");
        writer.Profile.ToolDeny.Should().Equal("hooks_add");
        writer.Profile.AllowsTool("hooks_add").Should().BeFalse();
        writer.Profile.AllowsTool("read_file").Should().BeTrue();
        writer.Hooks.Agent.Should().Be("writer");
        writer.Hooks.Hooks.Should().Equal(new HookDefinition(HookPoint.SkillEnd, "done {{skill}}"));
    }

    [Fact]
    public void Load_EveryPathOpened_IsAFixedInSetPath()
    {
        using var workspace = new InSetWorkspace();
        File.WriteAllText(workspace.ReynYaml, "hooks: [not, valid, here\n");
        File.WriteAllText(workspace.PathOf("reyn.yaml"), "security: {}\n");
        workspace.Write("cron.yaml", ValidCron);
        workspace.Write("agents/a/profile.yaml", "allowed_tools: [grep]\n");
        workspace.Write("agents/b/hooks.yaml", ValidHooks);
        workspace.Write("agents/b/reyn.yaml", "x: 1\n");
        var reader = new RecordingFileReader(workspace.Root);

        var snapshot = new InSetLoader(workspace.Root, reader).Load();

        snapshot.Errors.Should().BeEmpty();
        var root = Path.GetFullPath(workspace.Root);
        reader.Paths.Should().BeEquivalentTo(
            Path.Combine(root, "mcp.yaml"),
            Path.Combine(root, "cron.yaml"),
            Path.Combine(root, "hooks.yaml"),
            Path.Combine(root, "agents", "a", "profile.yaml"),
            Path.Combine(root, "agents", "a", "hooks.yaml"),
            Path.Combine(root, "agents", "b", "profile.yaml"),
            Path.Combine(root, "agents", "b", "hooks.yaml"));
        reader.Paths.Should().NotContain(p => Path.GetFileName(p) == "reyn.yaml");
    }

    [Fact]
    public async Task Load_ReynYamlIsAFifo_NeverOpensIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", ValidHooks);
        MakeFifo(workspace.ReynYaml);
        MakeFifo(workspace.PathOf("reyn.yaml"));

        // Opening a FIFO for reading blocks until a writer appears, so a loader that touched it would never return.
        // A timeout here means the loader opened reyn.yaml.
        var snapshot = await Task.Run(() => new InSetLoader(workspace.Root).Load()).WaitAsync(TimeSpan.FromSeconds(20));

        snapshot.Errors.Should().BeEmpty();
        snapshot.Hooks.Hooks.Should().ContainSingle();
    }

    [Fact]
    public void Load_ReynYamlUnreadableOrADirectory_DoesNotMatter()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", ValidCron);
        File.WriteAllText(workspace.ReynYaml, "{{{ not yaml");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workspace.ReynYaml, UnixFileMode.None);
        }

        Directory.CreateDirectory(workspace.PathOf("reyn.yaml"));

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.Errors.Should().BeEmpty();
        snapshot.Cron.Jobs.Should().HaveCount(2);
    }

    [Fact]
    public async Task Load_InSetFileIsSymlinkToReynYaml_RefusedWithoutOpeningIt()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var workspace = new InSetWorkspace();
        MakeFifo(workspace.ReynYaml);
        File.CreateSymbolicLink(workspace.PathOf("hooks.yaml"), workspace.ReynYaml);

        // A timeout here means the link was followed and reyn.yaml opened.
        var snapshot = await Task.Run(() => new InSetLoader(workspace.Root).Load()).WaitAsync(TimeSpan.FromSeconds(20));

        var error = snapshot.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be(".reyn/hooks.yaml");
        error.Message.Should().Contain("symbolic link").And.Contain("outside");
    }

    [Fact]
    public void Load_InSetFileIsADirectory_ReportsIt()
    {
        using var workspace = new InSetWorkspace();
        Directory.CreateDirectory(workspace.PathOf("mcp.yaml"));

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.Errors.Should().ContainSingle().Which.ToString().Should().Be(".reyn/mcp.yaml: cannot read the file: is a directory, not a file; remove it or replace it with a YAML file.");
    }

    [Fact]
    public void Load_BadYamlSyntax_ErrorCarriesFileAndLine()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("mcp.yaml", "mcp:\n  servers:\n    files:\n      command: [unclosed\n");

        var error = new InSetLoader(workspace.Root).Load().Errors.Should().ContainSingle().Subject;

        error.File.Should().Be(".reyn/mcp.yaml");
        error.Line.Should().BeGreaterThanOrEqualTo(4);
        error.Message.Should().StartWith("invalid YAML");
    }

    [Theory]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n", 3, "schedule: is missing")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: \"61 * * * *\"\n", 5, "invalid schedule")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      schedule: \"* * * * *\"\n", 3, "skill: is missing")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      schedule: \"* * * * *\"\n      to: x\n      skill: s\n", 5, "unknown key 'to'")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      schedule: \"* * * * *\"\n      skill: s\n    - name: a\n      schedule: \"* * * * *\"\n      skill: t\n", 6, "must be unique")]
    [InlineData("cron:\n  jobs: nightly\n", 2, "must be a list")]
    [InlineData("cron:\n  jobs:\n    - name: a\n      skill: s\n      schedule: \"* * * * *\"\n      time_zone: Mars/Olympus\n", 6, "unknown time zone")]
    public void Load_BadCronShape_ErrorCarriesFileAndLine(string yaml, int line, string fragment)
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("cron.yaml", yaml);

        var snapshot = new InSetLoader(workspace.Root).Load();

        var error = snapshot.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be(".reyn/cron.yaml");
        error.Line.Should().Be(line);
        error.Message.Should().Contain(fragment);
        snapshot.Cron.Jobs.Should().BeEmpty("an invalid component contributes nothing");
    }

    [Theory]
    [InlineData("hooks:\n  - on: lunch_time\n    template_push:\n      message: hi\n", 2, "not a lifecycle point")]
    [InlineData("hooks:\n  - on: turn_end\n    template_push:\n      message: \"{{#if x}}open\"\n", 4, "not a valid Handlebars template")]
    [InlineData("hooks:\n  - on: turn_end\n    template_push:\n      wake: maybe\n      message: hi\n", 4, "must be true or false")]
    [InlineData("hooks:\n  - on: turn_end\n    shell: rm -rf /\n", 3, "shell hooks are not supported")]
    [InlineData("hooks:\n  - on: turn_end\n", 2, "'template_push' is required")]
    public void Load_BadHook_ErrorCarriesFileAndLine(string yaml, int line, string fragment)
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", yaml);

        var snapshot = new InSetLoader(workspace.Root).Load();

        var error = snapshot.Errors.Should().ContainSingle().Subject;
        error.File.Should().Be(".reyn/hooks.yaml");
        error.Line.Should().Be(line);
        error.Message.Should().Contain(fragment);
        snapshot.Hooks.IsValid.Should().BeFalse();
    }

    [Fact]
    public void Load_BadAgentFiles_ErrorsNameTheAgentFile()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("agents/ops/profile.yaml", "allowed_tools: read_file\n");
        workspace.Write("agents/ops/hooks.yaml", "hooks:\n  - on: nope\n    template_push: {message: hi}\n");

        var snapshot = new InSetLoader(workspace.Root).Load();

        snapshot.Errors.Select(e => $"{e.File}:{e.Line}").Should().Equal(".reyn/agents/ops/profile.yaml:1", ".reyn/agents/ops/hooks.yaml:2");
        snapshot.FindAgent("ops")!.Profile.Should().BeNull();
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "mkfifo must be available for this test");
    }
}
