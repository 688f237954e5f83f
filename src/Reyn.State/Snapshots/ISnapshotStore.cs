namespace Reyn.State;

/// <summary>Reads and writes agent and skill-run snapshots (atomically), bringing them up to the WAL head on load.</summary>
public interface ISnapshotStore
{
    /// <summary>
    /// Loads an agent's snapshot and replays the WAL forward from its <c>applied_seq</c>. A missing file starts empty;
    /// a file that is not valid JSON is moved aside and rebuilt from the WAL, and the result says so.
    /// </summary>
    /// <exception cref="StateSchemaVersionException">The file has another schema version.</exception>
    ValueTask<SnapshotLoadResult<AgentSnapshot>> LoadAgentAsync(string agent, IStateLog log, string sessionId = "main", CancellationToken cancellationToken = default);

    /// <summary>Writes an agent's snapshot atomically (temp file, sync, rename).</summary>
    ValueTask SaveAgentAsync(AgentSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Loads a skill run's snapshot the same way as <see cref="LoadAgentAsync"/>.</summary>
    /// <exception cref="StateSchemaVersionException">The file has another schema version.</exception>
    ValueTask<SnapshotLoadResult<SkillRunSnapshot>> LoadSkillRunAsync(string agent, string runId, IStateLog log, CancellationToken cancellationToken = default);
}
