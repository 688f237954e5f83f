using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Configuration;

public sealed class ProfileYamlTests
{
    [Fact]
    public void ApplyProfile_ToolDenyAndAllowOps_NarrowThePermissions()
    {
        using var dir = new Reyn.Testing.TempDirectory();
        var options = new ReynOptions { RootDirectory = dir.Combine(".reyn"), Agent = "ops" };
        options.Permissions.ToolDeny.Add("web_fetch");
        options.Permissions.AllowedOps = ["read_file", "grep", "shell"];
        Directory.CreateDirectory(dir.Combine(".reyn", "agents", "ops"));
        File.WriteAllText(dir.Combine(".reyn", "agents", "ops", "profile.yaml"), "tool_deny: [shell]\nallow_ops: [grep, shell, write_file]\n");

        ReynYaml.ApplyProfile(options);

        options.Permissions.ToolDeny.Should().Equal("web_fetch", "shell");
        options.Permissions.AllowedOps.Should().Equal("grep", "shell");
    }

    [Fact]
    public void ApplyProfile_UnknownKey_ErrorNamesProfileFileAndLine()
    {
        using var dir = new Reyn.Testing.TempDirectory();
        var options = new ReynOptions { RootDirectory = dir.Combine(".reyn") };
        var path = dir.Combine(".reyn", "agents", "main", "profile.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "tool_deny: []\ntool_denny: [shell]\n");

        var act = () => ReynYaml.ApplyProfile(options);

        act.Should().Throw<ReynConfigException>().WithMessage($"{path}:2: tool_denny: unknown key*Did you mean 'tool_deny'?");
    }

    [Fact]
    public async Task RunSkillAsync_ProfileDeniesOp_PermissionDenied()
    {
        await using var h = new RuntimeHarness(o =>
        {
            Directory.CreateDirectory(Path.Combine(o.RootDirectory, "agents", "main"));
            File.WriteAllText(Path.Combine(o.RootDirectory, "agents", "main", "profile.yaml"), "tool_deny: [write_file]\n");
        });
        OpResult? result = null;

        await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx =>
        {
            result = await ctx.CallOpAsync("write_file", new { path = "a.txt", content = "x" });
            return null;
        }, p => p.AllowOps("write_file").Write("**")));

        result!.Error!.Kind.Should().Be("permission_denied");
        File.Exists(h.WorkspaceFile("a.txt")).Should().BeFalse();
    }
}
