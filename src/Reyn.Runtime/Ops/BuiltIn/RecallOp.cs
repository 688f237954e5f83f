using System.Text.Json;
using Reyn.Index;

namespace Reyn.Runtime;

/// <summary>
/// <c>recall</c> (world): searches the index by meaning (<see cref="Recall"/>). Arguments: <c>query</c>, <c>sources</c>
/// (list or comma-separated, e.g. <c>["events"]</c>), optional <c>top_k</c> (default 10) and <c>filters</c>
/// (<c>skill</c>, <c>status</c>, <c>version_hash</c>, <c>since</c>, <c>until</c>). Data:
/// <c>{mode, warnings, hits: [{source, id, score, text, skill, status, version_hash}]}</c>. Missing or invalid arguments
/// return a structured error whose kind is the recall error code (for example <c>missing_query</c>).
/// </summary>
public sealed class RecallOp : IOp
{
    private readonly Recall _recall;

    /// <summary>Creates the op over the host's <see cref="Recall"/> (registered by <c>AddReynIndex</c>).</summary>
    public RecallOp(Recall recall)
    {
        ArgumentNullException.ThrowIfNull(recall);
        _recall = recall;
    }

    /// <inheritdoc />
    public string Kind => "recall";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.World;

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        using (var document = JsonDocument.Parse(invocation.Arguments.Json.ToJsonString()))
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.Clone();
            }
        }

        if (!RecallRequest.TryCreate(arguments, out var request, out var error))
        {
            return OpResult.Fail(error!.Code, error.Message);
        }

        var result = await _recall.RecallAsync(request, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } failure)
        {
            return OpResult.Fail(failure.Code, failure.Message);
        }

        var hits = new List<Dictionary<string, object?>>(result.Hits.Count);
        foreach (var hit in result.Hits)
        {
            hits.Add(new Dictionary<string, object?>
            {
                ["source"] = hit.Source,
                ["id"] = hit.Id,
                ["score"] = hit.Score,
                ["text"] = hit.Text,
                ["skill"] = hit.Metadata.Skill,
                ["status"] = hit.Metadata.Status,
                ["version_hash"] = hit.Metadata.VersionHash,
            });
        }

        return OpResult.Ok(new Dictionary<string, object?> { ["mode"] = result.Mode, ["warnings"] = result.Warnings, ["hits"] = hits });
    }
}
