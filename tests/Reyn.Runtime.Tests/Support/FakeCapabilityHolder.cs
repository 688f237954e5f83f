using Reyn.Runtime.HotReload;
using Reyn.Runtime.HotReload.Seams;

namespace Reyn.Runtime.Tests.Support;

/// <summary>A holder (session, skill runner, router) that keeps the profile it is given.</summary>
internal sealed class FakeCapabilityHolder(string agent, bool @throw = false) : ICapabilityHolder
{
    public string Agent { get; } = agent;

    public AgentProfile? Profile { get; private set; }

    public int Applied { get; private set; }

    public void ApplyProfile(AgentProfile profile)
    {
        if (@throw)
        {
            throw new InvalidOperationException("holder broke");
        }

        Profile = profile;
        Applied++;
    }
}
