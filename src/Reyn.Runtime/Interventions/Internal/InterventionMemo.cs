using System.Globalization;
using Reyn.State;

namespace Reyn.Runtime.Interventions.Internal;

/// <summary>
/// The questions a resumed run's in-flight phase visit already asked, by step id (<c>&lt;phase&gt;.ask_human.&lt;n&gt;</c>),
/// with the answer when <c>intervention_resolved</c> is durable. A resumed phase that asks again gets the recorded
/// answer, or waits again for the same intervention: nothing is re-asked.
/// </summary>
internal sealed class InterventionMemo
{
    private readonly Dictionary<string, Recorded> _bySteps = new(StringComparer.Ordinal);

    public int Count => _bySteps.Count;

    /// <summary>Builds the memo from a run's records with seq above <paramref name="afterSeq"/> (the in-flight visit).</summary>
    public static InterventionMemo From(IEnumerable<WalRecord> records, long afterSeq)
    {
        var memo = new InterventionMemo();
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.Seq <= afterSeq || record.GetString("intervention_id") is not { } id)
            {
                continue;
            }

            switch (record.Kind)
            {
                case WalKinds.InterventionDispatched when record.GetString("op_invocation_id") is { } step:
                    var since = DateTimeOffset.TryParse(record.GetString("dispatched_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : record.Timestamp;
                    memo._bySteps[step] = new Recorded(id, since, null);
                    byId[id] = step;
                    break;
                case WalKinds.InterventionResolved when byId.TryGetValue(id, out var asked):
                    memo._bySteps[asked] = memo._bySteps[asked] with { Answer = new InterventionAnswer(id, record.GetString("text"), record.GetString("choice_id")) };
                    break;
            }
        }

        return memo;
    }

    public bool TryGet(string stepId, out Recorded recorded) => _bySteps.TryGetValue(stepId, out recorded!);

    /// <summary>An intervention the visit dispatched; <see cref="Answer"/> is set when its resolution is durable.</summary>
    public sealed record Recorded(string InterventionId, DateTimeOffset DispatchedAt, InterventionAnswer? Answer);
}
