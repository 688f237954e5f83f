using System.Security.Cryptography;
using System.Text;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Skills;

public sealed class SkillDefinitionTests
{
    private static Skill Sample(int maxVisits = 3) => Skill.Create("triage_logs")
        .Describe("Find errors and write a report")
        .Permissions(p => p.AllowOps("write_file", "grep").Read("logs/**").Write("report/**"))
        .Phase("explore", _ => Task.FromResult(PhaseResult.Next("report")), maxVisits: maxVisits)
        .Phase("report", _ => Task.FromResult(PhaseResult.Finish()))
        .EntryPhase("explore");

    [Fact]
    public void Build_CodeSkill_VersionHashIsFullSha256OfCanonicalDefinition()
    {
        var skill = Sample().Build();

        skill.VersionHash.Should().MatchRegex("^[0-9a-f]{64}$");
        skill.VersionHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(skill.DefinitionText))));
        skill.DefinitionText.Should().Contain("\"name\":\"triage_logs\"").And.Contain("\"ops\":[\"grep\",\"write_file\"]");
        skill.Source.Should().Be("code");
    }

    [Fact]
    public void Build_SameDefinitionTwice_SameHash_ChangedLimitOrVersion_NewHash()
    {
        var a = Sample().Build();
        var b = Sample().Build();
        var c = Sample(maxVisits: 4).Build();
        var d = Sample().Version("2").Build();

        b.VersionHash.Should().Be(a.VersionHash);
        c.VersionHash.Should().NotBe(a.VersionHash);
        d.VersionHash.Should().NotBe(a.VersionHash);
    }

    [Fact]
    public void Build_EntryPhaseMissing_ThrowsNamingThePhases()
    {
        var act = () => Skill.Create("s").Phase("a", _ => Task.FromResult(PhaseResult.Finish())).EntryPhase("b").Build();

        act.Should().Throw<SkillDefinitionException>().WithMessage("*entry phase 'b'*phases: a*");
    }

    [Fact]
    public void Build_NoPhases_ThrowsWithHowToFix()
    {
        var act = () => Skill.Create("s").Build();

        act.Should().Throw<SkillDefinitionException>().WithMessage("*has no phases*.Phase(*");
    }

    [Fact]
    public void Phase_DuplicateName_Throws()
    {
        var act = () => Skill.Create("s").Phase("a", _ => Task.FromResult(PhaseResult.Finish())).Phase("a", _ => Task.FromResult(PhaseResult.Finish()));

        act.Should().Throw<SkillDefinitionException>().WithMessage("*already has a phase 'a'*");
    }

    [Fact]
    public void FromMarkdown_ValidFile_LoadsDeclarationsAndHashesFileBytes()
    {
        using var dir = new TempDirectory();
        var text = """
            ---
            name: triage_logs
            description: Triage a folder of logs
            entry_phase: explore
            phases:
              - name: explore
                max_visits: 2
              - report
            permissions:
              ops: [grep, write_file]
              read: ["logs/**"]
              write: ["report/**"]
            ---
            You are a careful log triager.
            """;
        var path = dir.Combine("skill.md");
        File.WriteAllText(path, text);

        var skill = Skill.FromMarkdown(path)
            .Handle("explore", _ => Task.FromResult(PhaseResult.Next("report")))
            .Handle("report", _ => Task.FromResult(PhaseResult.Finish()))
            .Build();

        skill.Name.Should().Be("triage_logs");
        skill.Description.Should().Be("Triage a folder of logs");
        skill.EntryPhase.Should().Be("explore");
        skill.Phases.Select(p => (p.Name, p.MaxVisits)).Should().Equal(("explore", 2), ("report", (int?)null));
        skill.Permissions.AllowedOps.Should().Equal("grep", "write_file");
        skill.Permissions.WriteZones.Should().Equal("report/**");
        skill.Instructions.Should().Be("You are a careful log triager.");
        skill.VersionHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
        skill.Source.Should().Be(Path.GetFullPath(path));
    }

    [Fact]
    public void FromMarkdown_PhaseWithoutHandler_BuildSaysWhichPhaseToBind()
    {
        var skill = Skill.FromMarkdown(Encoding.UTF8.GetBytes("---\nname: s\nphases: [a, b]\n---\n"))
            .Handle("a", _ => Task.FromResult(PhaseResult.Finish()));

        var act = () => skill.Build();

        act.Should().Throw<SkillDefinitionException>().WithMessage("*Phase 'b'*no handler*.Handle(\"b\"*");
    }

    [Fact]
    public void FromMarkdown_UnknownKey_ErrorNamesFileLineAndKey()
    {
        var act = () => Skill.FromMarkdown(Encoding.UTF8.GetBytes("---\nname: s\nphases: [a]\npermisions:\n  ops: [grep]\n---\n"), "skills/s/skill.md");

        act.Should().Throw<SkillDefinitionException>().WithMessage("skills/s/skill.md:3: permisions: unknown key*Did you mean 'permissions'?*");
    }

    [Fact]
    public void FromMarkdown_BadMaxVisits_ErrorNamesLineAndKey()
    {
        var act = () => Skill.FromMarkdown(Encoding.UTF8.GetBytes("---\nname: s\nphases:\n  - name: a\n    max_visits: lots\n---\n"), "skill.md");

        act.Should().Throw<SkillDefinitionException>().WithMessage("skill.md:4: phases[].max_visits: expected an integer, got 'lots'");
    }

    [Fact]
    public void Handle_UndeclaredPhase_Throws()
    {
        var act = () => Skill.FromMarkdown(Encoding.UTF8.GetBytes("---\nname: s\nphases: [a]\n---\n")).Handle("z", _ => Task.FromResult(PhaseResult.Finish()));

        act.Should().Throw<SkillDefinitionException>().WithMessage("*declares no phase 'z'*declared: a*");
    }
}
