namespace Reyn.State.Tests.Support;

/// <summary>Tests that must not run in parallel with others (they observe the shared thread pool).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
