namespace Reyn.Index;

/// <summary>The normalized run statuses stored in chunks and used by reports.</summary>
public static class RunStatuses
{
    /// <summary>The run finished normally.</summary>
    public const string Success = "success";

    /// <summary>The run failed: an error, or a loop, budget or phase limit was hit.</summary>
    public const string Failed = "failed";

    /// <summary>The run was cancelled or aborted deliberately.</summary>
    public const string Aborted = "aborted";

    /// <summary>
    /// Maps a raw <c>run_skill_completed.status</c> or <c>workflow_finished.reason</c> to a normalized status.
    /// Anything that is not clearly a success or an abort is a failure (limits and timeouts included).
    /// </summary>
    public static string Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return Success;
        }

        var value = raw.Trim().ToLowerInvariant();
        return value switch
        {
            "success" or "succeeded" or "ok" or "finished" or "finish" or "completed" or "complete" or "done" or "passed" or "pass" => Success,
            "aborted" or "abort" or "cancelled" or "canceled" or "cancel" or "discarded" or "skill_discarded" => Aborted,
            _ => Failed,
        };
    }
}
