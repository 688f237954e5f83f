using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class SessionHotReloadTests
{
    [Fact]
    public void Create_MalformedInSetFileAtBoot_ComponentEmptyAndRejectionInTheEventStream()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push:\n      message: [unclosed\n");
        var (log, sink) = RecordingEventSink.CreateLog();

        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        session.Dispatcher.Dispatch(HookPoint.TurnEnd).Should().BeSameAs(HookDispatch.None, "the malformed layer is left empty");
        var rejected = sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle().Subject;
        rejected.Data.GetString("source").Should().Be(ReloadSources.Boot);
        rejected.Data.GetString("file").Should().EndWith("hooks.yaml");
        rejected.Data.GetString("reason").Should().Contain("hooks.yaml:");
        sink.OfType(EventTypes.ConfigReloaded).Should().BeEmpty();
    }

    [Fact]
    public void Create_ValidInSet_EmitsNothing()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push:\n      message: hello\n");
        var (log, sink) = RecordingEventSink.CreateLog();

        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        sink.Events.Should().BeEmpty();
        session.Dispatcher.Dispatch(HookPoint.TurnEnd).Wake.Should().ContainSingle();
    }

    [Fact]
    public void Create_HookWithAnUnknownKeyAtBoot_RejectionNamesIt()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    message: hello\n");
        var (log, sink) = RecordingEventSink.CreateLog();

        SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle()
            .Which.Data.GetString("reason").Should().Contain("message");
    }

    [Fact]
    public void Create_HookTemplateThatDoesNotCompileAtBoot_RejectionSaysSo()
    {
        using var workspace = new InSetWorkspace();
        workspace.Write("hooks.yaml", "hooks:\n  - on: turn_end\n    template_push:\n      message: \"{{#if x}}unclosed\"\n");
        var (log, sink) = RecordingEventSink.CreateLog();

        var session = SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = workspace.Root }, log);

        session.Dispatcher.Dispatch(HookPoint.TurnEnd).Should().BeSameAs(HookDispatch.None);
        sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle()
            .Which.Data.GetString("reason").Should().Contain("not a valid Handlebars template");
    }
}
