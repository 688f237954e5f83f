using System.Text.Json;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>
/// The per-agent (per-session) state derived from the WAL: inbox, pending chains, outstanding interventions,
/// buffered answers and active skill runs, with the seq it has seen up to (<see cref="AppliedSeq"/>). Stored at
/// <c>.reyn/agents/&lt;name&gt;/state/snapshot.json</c>; the WAL is the truth, this is a cache of it.
/// </summary>
public sealed class AgentSnapshot
{
    /// <summary>The schema version (<see cref="SnapshotSchema.Version"/>).</summary>
    public int Version { get; set; } = SnapshotSchema.Version;

    /// <summary>The agent name.</summary>
    public string Agent { get; set; } = string.Empty;

    /// <summary>The session (default <c>main</c>).</summary>
    public string SessionId { get; set; } = "main";

    /// <summary>The highest WAL seq applied; records at or below it are skipped.</summary>
    public long AppliedSeq { get; set; }

    /// <summary>Unconsumed inbox messages, in arrival order.</summary>
    public List<InboxMessage> Inbox { get; set; } = [];

    /// <summary>Pending delegation chains by chain id.</summary>
    public Dictionary<string, PendingChain> PendingChains { get; set; } = [];

    /// <summary>Outstanding interventions by intervention id (the dispatched intervention as JSON).</summary>
    public Dictionary<string, JsonElement> OutstandingInterventions { get; set; } = [];

    /// <summary>Buffered intervention answers by run id.</summary>
    public Dictionary<string, BufferedAnswer> BufferedAnswers { get; set; } = [];

    /// <summary>Skill runs started and not yet completed or discarded.</summary>
    public List<string> ActiveSkillRunIds { get; set; } = [];

    /// <summary>Whether anything is pending (inbox, chains or interventions): the session must be restored.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasPendingWork => Inbox.Count > 0 || PendingChains.Count > 0 || OutstandingInterventions.Count > 0;

    /// <summary>Creates an empty snapshot for <paramref name="agent"/>.</summary>
    public static AgentSnapshot Empty(string agent, string sessionId = "main") => new() { Agent = agent, SessionId = sessionId };

    /// <summary>Applies records in order (see <see cref="Apply(WalRecord)"/>); returns how many changed the state.</summary>
    public int Apply(IEnumerable<WalRecord> records) => SnapshotReplay.ApplyAll(records, Apply);

    /// <summary>
    /// Applies one record. Idempotent: records at or below <see cref="AppliedSeq"/> are skipped, and so are records of
    /// other agents or sessions and unknown kinds (which still advance <see cref="AppliedSeq"/>). Returns whether the
    /// record changed the state.
    /// </summary>
    public bool Apply(WalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Seq <= AppliedSeq)
        {
            return false;
        }

        AppliedSeq = record.Seq;
        var target = record.GetString("target");
        var agent = record.GetString("agent");
        if ((target != Agent && agent != Agent) || record.SessionId() != SessionId)
        {
            return false;
        }

        switch (record.Kind)
        {
            case WalKinds.InboxPut:
                {
                    var id = record.GetString("msg_id");
                    if (id is null || Inbox.Exists(m => m.Id == id))
                    {
                        return false;
                    }

                    Inbox.Add(new InboxMessage { Id = id, Kind = record.GetString("msg_kind"), Payload = record.GetElement("payload") });
                    return true;
                }

            case WalKinds.InboxConsume:
                return Inbox.RemoveAll(m => m.Id == record.GetString("msg_id")) > 0;
            case WalKinds.ChainRegister:
                {
                    var id = record.GetString("chain_id");
                    if (id is null)
                    {
                        return false;
                    }

                    PendingChains[id] = new PendingChain
                    {
                        ChainId = id,
                        OriginAgent = record.GetString("origin_agent"),
                        OriginDepth = record.GetInt("origin_depth"),
                        OriginalRequest = record.GetString("original_request"),
                        WaitingOn = record.GetStrings("waiting_on"),
                    };
                    return true;
                }

            case WalKinds.ChainUpdate:
                {
                    if (record.GetString("chain_id") is not { } id || !PendingChains.TryGetValue(id, out var chain))
                    {
                        return false;
                    }

                    chain.WaitingOn = record.GetStrings("waiting_on");
                    return true;
                }

            case WalKinds.ChainResolve:
                return record.GetString("chain_id") is { } resolved && PendingChains.Remove(resolved);
            case WalKinds.InterventionDispatched:
                {
                    if (record.GetString("intervention_id") is not { } id)
                    {
                        return false;
                    }

                    OutstandingInterventions[id] = record.GetElement("iv") ?? record.GetElement("iv_dict") ?? record.Fields.Clone();
                    return true;
                }

            case WalKinds.InterventionResolved:
                return record.GetString("intervention_id") is { } iv && OutstandingInterventions.Remove(iv);
            case WalKinds.InterventionAnswerBuffered:
                {
                    if (record.GetString("run_id") is not { } runId)
                    {
                        return false;
                    }

                    BufferedAnswers[runId] = new BufferedAnswer
                    {
                        InterventionId = record.GetString("intervention_id"),
                        Text = record.GetString("text"),
                        ChoiceId = record.GetString("choice_id"),
                    };
                    return true;
                }

            case WalKinds.InterventionAnswerConsumed:
                return record.GetString("run_id") is { } consumed && BufferedAnswers.Remove(consumed);
            case WalKinds.SkillStarted:
                {
                    if (record.GetString("run_id") is not { } runId || ActiveSkillRunIds.Contains(runId))
                    {
                        return false;
                    }

                    ActiveSkillRunIds.Add(runId);
                    return true;
                }

            case WalKinds.SkillCompleted or WalKinds.SkillDiscarded:
                return record.GetString("run_id") is { } ended && EndRun(ended);
            default:
                return false;
        }
    }

    /// <summary>
    /// The interventions that <paramref name="runId"/> dispatched and that are still outstanding (their
    /// <c>run_id</c> field names the run).
    /// </summary>
    public List<string> InterventionsOfRun(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var ids = new List<string>();
        foreach (var (id, intervention) in OutstandingInterventions)
        {
            if (intervention.ValueKind == JsonValueKind.Object
                && intervention.TryGetProperty("run_id", out var owner)
                && owner.ValueKind == JsonValueKind.String
                && owner.ValueEquals(runId))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// A completed or discarded run is no longer active, and its outstanding interventions and buffered answer are
    /// dropped (nobody will wait for them again).
    /// </summary>
    private bool EndRun(string runId)
    {
        var changed = ActiveSkillRunIds.Remove(runId);
        foreach (var id in InterventionsOfRun(runId))
        {
            changed |= OutstandingInterventions.Remove(id);
        }

        changed |= BufferedAnswers.Remove(runId);
        return changed;
    }
}
