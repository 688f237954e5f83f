using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Events;
using Reyn.Testing;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A real runtime over a temp directory (<c>.reyn</c> root and workspace), with a recording sink and a fake chat client.</summary>
public sealed class RuntimeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public RuntimeHarness(Action<ReynOptions>? configure = null, Action<IServiceCollection>? services = null, FakeChatClient? chat = null, TimeProvider? time = null)
    {
        Directory = new TempDirectory("reyn-runtime");
        Chat = chat ?? new FakeChatClient();
        var collection = new ServiceCollection();
        collection.AddSingleton<IEventSink>(Sink);
        collection.AddSingleton<IChatClient>(Chat);
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        services?.Invoke(collection);
        collection.AddReyn(options =>
        {
            options.RootDirectory = Directory.Combine(".reyn");
            options.WorkspaceDirectory = Directory.Combine("workspace");
            configure?.Invoke(options);
        });
        _provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Runtime = _provider.GetRequiredService<ReynRuntime>();
    }

    public TempDirectory Directory { get; }

    public RecordingSink Sink { get; } = new();

    public FakeChatClient Chat { get; }

    public ReynRuntime Runtime { get; }

    public IServiceProvider Services => _provider;

    public string Workspace => Directory.Combine("workspace");

    public string WorkspaceFile(string relative) => Path.Combine(Workspace, relative);

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Dispose();
    }

    /// <summary>A one-phase skill that runs <paramref name="body"/> and finishes with its result.</summary>
    public static SkillDefinition OnePhase(Func<PhaseContext, Task<object?>> body, Action<SkillPermissionsBuilder>? permissions = null, string name = "probe") =>
        Skill.Create(name)
            .Permissions(permissions ?? (_ => { }))
            .Phase("work", async ctx => PhaseResult.Finish(await body(ctx)))
            .Build();
}
