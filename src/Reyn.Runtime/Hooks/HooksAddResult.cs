namespace Reyn.Runtime.Hooks;

/// <summary>The result of <c>hooks_add</c>.</summary>
/// <param name="Ok">Whether the call succeeded (the hook is in the file, added now or already present).</param>
/// <param name="On">The lifecycle point.</param>
/// <param name="Added"><see langword="false"/> when an identical hook was already present (nothing written).</param>
/// <param name="ReloadScheduled">Whether a reload (source <c>llm_op</c>) was scheduled for the next turn boundary.</param>
/// <param name="Path">The file written: always <c>&lt;root&gt;/hooks.yaml</c>.</param>
/// <param name="Error">Why the call failed (nothing was written), or <see langword="null"/>.</param>
public sealed record HooksAddResult(bool Ok, string? On, bool Added, bool ReloadScheduled, string Path, string? Error)
{
    /// <summary>The error kind used in <see cref="ToPayload"/> for a refused hook.</summary>
    public const string InvalidHookKind = "invalid_hook";

    /// <summary>
    /// The op result: <c>{"status":"ok","on","added","reload_scheduled","path"}</c> or
    /// <c>{"status":"error","error":{"kind":"invalid_hook","message"}}</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ToPayload() => Ok
        ? new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = "ok",
            ["on"] = On,
            ["added"] = Added,
            ["reload_scheduled"] = ReloadScheduled,
            ["path"] = Path,
        }
        : new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = "error",
            ["error"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["kind"] = InvalidHookKind,
                ["message"] = Error,
            },
        };
}
