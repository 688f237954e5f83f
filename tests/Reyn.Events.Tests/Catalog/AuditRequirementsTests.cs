namespace Reyn.Events.Tests.Catalog;

public sealed class AuditRequirementsTests
{
    [Fact]
    public void MissingRequiredFields_CompleteEvent_Empty()
    {
        var evt = new ReynEvent(EventTypes.PermissionDenied, DateTimeOffset.UnixEpoch, new EventData { ["run_id"] = "r", ["skill"] = "s", ["phase"] = "p" });

        EventCatalog.MissingRequiredFields(evt).Should().BeEmpty();
        AuditRequirements.Verify(evt);
    }

    [Fact]
    public void MissingRequiredFields_AbsentNullOrEmpty_AllReportedInCatalogOrder()
    {
        var evt = new ReynEvent(EventTypes.PermissionDenied, DateTimeOffset.UnixEpoch, new EventData { ["skill"] = null, ["phase"] = "" });

        EventCatalog.MissingRequiredFields(evt).Should().Equal("run_id", "skill", "phase");
    }

    [Fact]
    public void Verify_MissingField_ThrowsNamingTypeAndField()
    {
        var evt = new ReynEvent(EventTypes.UserInterventionRequested, DateTimeOffset.UnixEpoch, new EventData { ["run_id"] = "r", ["skill"] = "s" });

        var act = () => AuditRequirements.Verify(evt);

        act.Should().Throw<AuditRequirementException>().WithMessage("*user_intervention_requested*intervention_id*");
    }

    [Fact]
    public void Verify_UnknownType_ThrowsSayingHowToAddIt()
    {
        var evt = new ReynEvent("made_up_kind", DateTimeOffset.UnixEpoch, new EventData());

        var act = () => AuditRequirements.Verify(evt);

        act.Should().Throw<AuditRequirementException>().WithMessage("*made_up_kind*EventCatalog*");
    }

    [Fact]
    public void Verify_EmitterStampsContext_RequiredFieldsSatisfiedOnRealPath()
    {
        var sink = new Support.CollectingSink();
        var pipeline = new EventPipeline();
        pipeline.AddSink(sink);
        var log = new EventLog(pipeline, new EventContext(RunId: "r1", Skill: "triage", Phase: "plan"));

        log.Emit(EventTypes.PermissionGranted, new EventData { ["op"] = "read_file" });
        log.Emit(EventTypes.LlmCalled, new EventData { ["model"] = "m" });

        var verifyAll = () => AuditRequirements.VerifyAll(sink.Events);
        verifyAll.Should().NotThrow();
    }
}
