using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.HotReload;

public sealed class SessionHotReloadTests : IDisposable
{
    private readonly InSetWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private (SessionHotReload Session, RecordingEventSink Sink) BootWithHooksYaml(string hooksYaml)
    {
        _workspace.Write("hooks.yaml", hooksYaml);
        var (log, sink) = RecordingEventSink.CreateLog();
        return (SessionHotReload.Create(new SessionHotReloadOptions { RootDirectory = _workspace.Root }, log), sink);
    }

    [Fact]
    public void Create_MalformedInSetFileAtBoot_ComponentEmptyAndRejectionInTheEventStream()
    {
        var (session, sink) = BootWithHooksYaml("hooks:\n  - on: turn_end\n    template_push:\n      message: [unclosed\n");

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
        var (session, sink) = BootWithHooksYaml("hooks:\n  - on: turn_end\n    template_push:\n      message: hello\n");

        sink.Events.Should().BeEmpty();
        session.Dispatcher.Dispatch(HookPoint.TurnEnd).Wake.Should().ContainSingle();
    }

    [Theory]
    [InlineData("hooks:\n  - on: turn_end\n    message: hello\n", "message")]
    [InlineData("hooks:\n  - on: turn_end\n    template_push:\n      message: \"{{#if x}}unclosed\"\n", "not a valid Handlebars template")]
    public void Create_InvalidHookAtBoot_RejectionSaysWhy(string hooksYaml, string reason)
    {
        var (session, sink) = BootWithHooksYaml(hooksYaml);

        session.Dispatcher.Dispatch(HookPoint.TurnEnd).Should().BeSameAs(HookDispatch.None);
        sink.OfType(EventTypes.ConfigReloadRejected).Should().ContainSingle()
            .Which.Data.GetString("reason").Should().Contain(reason);
    }
}
