namespace Reyn.Runtime.Hooks;

/// <summary>Where a layer of hooks comes from; decides how a bad layer is treated.</summary>
public enum HookLayerKind
{
    /// <summary><c>reyn.yaml</c> (OUT-set, trusted, captured once at boot): a bad layer fails loudly.</summary>
    Startup,
    /// <summary><c>.reyn/hooks.yaml</c> (IN-set, untrusted): a bad layer is dropped with a warning.</summary>
    Runtime,
    /// <summary><c>.reyn/agents/&lt;name&gt;/hooks.yaml</c> (IN-set, untrusted): a bad layer is dropped with a warning.</summary>
    Agent,
}
