namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The <c>new_agent</c> seam: an explicit no-op kept for accounting. Agents are discovered live (the agent directory is
/// listed on every lookup), so a new <c>.reyn/agents/&lt;name&gt;/</c> is visible without a reload step.
/// </summary>
public sealed class NewAgentSeam : IReloadSeam
{
    /// <inheritdoc />
    public string Name => ReloadSeamNames.NewAgent;

    /// <inheritdoc />
    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken) => ValueTask.FromResult(false);
}
