namespace Reyn.Runtime.HotReload.Seams;

/// <summary>
/// The <c>per_agent_capability</c> seam: puts each agent's re-read <c>profile.yaml</c> in force on every registered
/// holder of that agent. A holder whose agent has no profile file keeps its profile. Changed iff a holder got a
/// different profile. A throwing holder does not stop the others (the seam then reports failure).
/// </summary>
public sealed class PerAgentCapabilitySeam : IReloadSeam
{
    private readonly CapabilityHolderRegistry _holders;

    /// <summary>Creates the seam.</summary>
    public PerAgentCapabilitySeam(CapabilityHolderRegistry holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        _holders = holders;
    }

    /// <inheritdoc />
    public string Name => ReloadSeamNames.PerAgentCapability;

    /// <inheritdoc />
    public ValueTask<bool> ApplyAsync(InSetSnapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var changed = false;
        List<Exception>? failures = null;
        foreach (var holder in _holders.Holders)
        {
            var profile = snapshot.FindAgent(holder.Agent)?.Profile;
            if (profile is null || profile.Equals(holder.Profile))
            {
                continue;
            }

            try
            {
                holder.ApplyProfile(profile);
                changed = true;
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"{failures.Count} capability holder(s) failed to apply the new profile.", failures);
        }

        return ValueTask.FromResult(changed);
    }
}
