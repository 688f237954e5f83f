using System.Reflection;
using System.Text.RegularExpressions;

namespace Reyn.Events.Tests.Catalog;

public sealed class EventCatalogTests
{
    private static readonly string[] KnownSources =
    [
        EventSources.Lifecycle, EventSources.Llm, EventSources.Op, EventSources.Chat, EventSources.Agent,
        EventSources.State, EventSources.Config, EventSources.Cron, EventSources.Index, EventSources.Hook,
    ];

    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var kind in EventCatalog.All)
        {
            data.Add(kind.Type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Entry_EveryKind_IsWellFormed(string type)
    {
        EventCatalog.TryGet(type, out var kind).Should().BeTrue();

        kind.Type.Should().MatchRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", "types are snake_case");
        KnownSources.Should().Contain(kind.Source);
        Enum.IsDefined(kind.DefaultLevel).Should().BeTrue();
        Enum.IsDefined(kind.Noise).Should().BeTrue();
        kind.SummaryTemplate.Should().NotBeNullOrWhiteSpace();
        kind.SummaryTemplate.Should().NotContain("\n");
        kind.Description.Should().NotBeNullOrWhiteSpace().And.EndWith(".");
        kind.RequiredFields.Should().OnlyHaveUniqueItems();
        foreach (var field in kind.RequiredFields)
        {
            field.Should().MatchRegex("^[a-z][a-z0-9_]*$");
        }

        var braces = Regex.Matches(kind.SummaryTemplate, "[{}]").Count;
        (braces % 2).Should().Be(0, "every {placeholder} is closed");
        foreach (Match placeholder in Regex.Matches(kind.SummaryTemplate, "\\{([^}]*)\\}"))
        {
            placeholder.Groups[1].Value.Should().MatchRegex("^[a-z][a-z0-9_]*(\\|[a-z][a-z0-9_]*)*$", "placeholders name payload fields");
        }
    }

    [Fact]
    public void All_TypesAreUniqueAndMatchEventTypesConstants()
    {
        var constants = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        EventCatalog.All.Select(k => k.Type).Should().OnlyHaveUniqueItems();
        EventCatalog.All.Select(k => k.Type).Should().BeEquivalentTo(constants);
    }

    [Fact]
    public void All_EntriesAreGroupedBySource()
    {
        var seen = new List<string>();
        foreach (var kind in EventCatalog.All)
        {
            if (seen.Count == 0 || seen[^1] != kind.Source)
            {
                seen.Should().NotContain(kind.Source, $"{kind.Type} should sit with the other {kind.Source} kinds");
                seen.Add(kind.Source);
            }
        }
    }

    [Theory]
    [InlineData(EventTypes.WorkflowStarted, "run_id,skill")]
    [InlineData(EventTypes.WorkflowFinished, "run_id,skill")]
    [InlineData(EventTypes.LlmCalled, "run_id,skill")]
    [InlineData(EventTypes.LlmResponseReceived, "run_id,skill")]
    [InlineData(EventTypes.PermissionGranted, "run_id,skill,phase")]
    [InlineData(EventTypes.PermissionDenied, "run_id,skill,phase")]
    [InlineData(EventTypes.UserInterventionRequested, "run_id,skill,intervention_id")]
    [InlineData(EventTypes.UserInterventionReceived, "run_id,skill,intervention_id")]
    public void RequiredFields_SeedAuditKinds_DeclareTheSeedFields(string type, string fields)
    {
        EventCatalog.TryGet(type, out var kind).Should().BeTrue();

        kind.RequiredFields.Should().Contain(fields.Split(','));
    }

    [Theory]
    [InlineData(EventTypes.AgentMessageSent)]
    [InlineData(EventTypes.AgentRequestReceived)]
    [InlineData(EventTypes.AgentResponseReceived)]
    [InlineData(EventTypes.AgentMessageRefused)]
    public void RequiredFields_AgentMessagingKinds_CarryChainId(string type)
    {
        EventCatalog.TryGet(type, out var kind).Should().BeTrue();

        kind.RequiredFields.Should().Contain(EventFields.ChainId);
    }

    [Theory]
    [InlineData("workflow_started"), InlineData("phase_started"), InlineData("phase_completed"), InlineData("workflow_finished")]
    [InlineData("phase_failed"), InlineData("loop_limit_exceeded"), InlineData("context_built"), InlineData("llm_called")]
    [InlineData("llm_response_received"), InlineData("validation_error"), InlineData("normalization_error")]
    [InlineData("permission_granted"), InlineData("permission_denied"), InlineData("run_skill_started"), InlineData("run_skill_completed")]
    [InlineData("chat_started"), InlineData("chat_stopped"), InlineData("user_message_received"), InlineData("skill_run_spawned")]
    [InlineData("skill_spawn_refused"), InlineData("turn_started"), InlineData("turn_completed"), InlineData("agent_message_sent")]
    [InlineData("agent_request_received"), InlineData("agent_response_received"), InlineData("agent_message_refused")]
    [InlineData("user_intervention_requested"), InlineData("user_intervention_received"), InlineData("config_reloaded")]
    public void Contains_SeedTaxonomyKind_IsInCatalog(string type) => EventCatalog.Contains(type).Should().BeTrue();

    [Fact]
    public void Summarize_TemplateWithMissingField_RendersQuestionMark()
    {
        var evt = new ReynEvent(EventTypes.PhaseStarted, DateTimeOffset.UnixEpoch, new EventData { ["phase"] = "plan" });

        EventCatalog.Summarize(evt).Should().Be("Phase plan started (visit ?)");
    }

    [Fact]
    public void Summarize_AlternativePlaceholder_UsesFirstFieldPresent()
    {
        var next = new ReynEvent(EventTypes.PhaseCompleted, DateTimeOffset.UnixEpoch, new EventData { ["phase"] = "plan", ["next_phase"] = "act", ["decision"] = "next" });
        var last = new ReynEvent(EventTypes.PhaseCompleted, DateTimeOffset.UnixEpoch, new EventData { ["phase"] = "verify", ["decision"] = "finish" });
        var neither = new ReynEvent(EventTypes.PhaseCompleted, DateTimeOffset.UnixEpoch, new EventData { ["phase"] = "verify" });

        EventCatalog.Summarize(next).Should().Be("Phase plan completed, next act");
        EventCatalog.Summarize(last).Should().Be("Phase verify completed, next finish");
        EventCatalog.Summarize(neither).Should().Be("Phase verify completed, next ?");
    }

    [Fact]
    public void LevelOf_LevelFieldOverridesDefault_ElseDefault()
    {
        var plain = new ReynEvent(EventTypes.PhaseFailed, DateTimeOffset.UnixEpoch, new EventData());
        var overridden = new ReynEvent(EventTypes.PhaseFailed, DateTimeOffset.UnixEpoch, new EventData { ["level"] = "WARNING" });

        EventCatalog.LevelOf(plain).Should().Be(EventLevel.Error);
        EventCatalog.LevelOf(overridden).Should().Be(EventLevel.Warn);
    }
}
