using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reyn.Testing;

namespace Reyn.State.Tests.DependencyInjection;

public sealed class AddReynStateTests : IDisposable
{
    private readonly TempDirectory _dir = new("reyn-di");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AddReynState_ConfiguredRootAndKinds_ResolvesOneLogAndStore()
    {
        var services = new ServiceCollection().AddReynState(o =>
        {
            o.RootDirectory = _dir.Combine(".reyn");
            o.Durability = DurabilityMode.Batched;
            o.ExtraKinds.Add("host_marker");
        });
        await using var provider = services.BuildServiceProvider();

        var log = provider.GetRequiredService<IStateLog>();
        log.Should().BeSameAs(provider.GetRequiredService<FileStateLog>());
        provider.GetRequiredService<FileStateLog>().Durability.Should().Be(DurabilityMode.Batched);
        provider.GetRequiredService<ISnapshotStore>().Should().BeSameAs(provider.GetRequiredService<FileSnapshotStore>());
        (await log.AppendAsync("host_marker", [])).Should().Be(1);
        File.Exists(_dir.Combine(".reyn", "state", "wal.jsonl")).Should().BeTrue();
    }

    [Fact]
    public async Task AddReynState_InvalidOptions_FailValidationAtStartNamingTheProblem()
    {
        var services = new ServiceCollection().AddReynState(o =>
        {
            o.RootDirectory = _dir.Combine(".reyn");
            o.ExtraKinds.Add("Not A Kind");
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();
        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("Not A Kind").And.Contain("snake_case");
    }

    [Fact]
    public async Task AddReynState_BatchedWithZeroInterval_FailsValidation()
    {
        var services = new ServiceCollection().AddReynState(o =>
        {
            o.RootDirectory = _dir.Combine(".reyn");
            o.Durability = DurabilityMode.Batched;
            o.BatchInterval = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IStartupValidator>().Validate();
        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("ReynStateOptions.BatchInterval");
    }
}
