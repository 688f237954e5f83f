using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>The file snapshot store under a <c>.reyn/</c> root (see <see cref="StatePaths"/> for the layout).</summary>
public sealed class FileSnapshotStore : ISnapshotStore
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the store for <paramref name="paths"/>.</summary>
    public FileSnapshotStore(StatePaths paths, TimeProvider? timeProvider = null, ILogger<FileSnapshotStore>? logger = null)
    {
        Paths = paths ?? throw new ArgumentNullException(nameof(paths));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The layout.</summary>
    public StatePaths Paths { get; }

    /// <inheritdoc />
    public async ValueTask<SnapshotLoadResult<AgentSnapshot>> LoadAgentAsync(string agent, IStateLog log, string sessionId = "main", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var path = Paths.AgentSnapshot(agent, sessionId);
        var (snapshot, status, problem, aside) = Read(path, SnapshotJsonContext.Default.AgentSnapshot);
        snapshot ??= AgentSnapshot.Empty(agent, sessionId);
        snapshot.Agent = agent;
        snapshot.SessionId = sessionId;
        await foreach (var record in log.ReadFromAsync(snapshot.AppliedSeq + 1, cancellationToken).ConfigureAwait(false))
        {
            snapshot.Apply(record);
        }

        return new SnapshotLoadResult<AgentSnapshot>(snapshot, status, path, problem, aside);
    }

    /// <inheritdoc />
    public ValueTask SaveAgentAsync(AgentSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        SnapshotFiles.Write(Paths.AgentSnapshot(snapshot.Agent, snapshot.SessionId), snapshot, SnapshotJsonContext.Default.AgentSnapshot);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask<SnapshotLoadResult<SkillRunSnapshot>> LoadSkillRunAsync(string agent, string runId, IStateLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var path = Paths.SkillRunSnapshot(agent, runId);
        var (snapshot, status, problem, aside) = Read(path, SnapshotJsonContext.Default.SkillRunSnapshot);
        snapshot ??= new SkillRunSnapshot { RunId = runId, Agent = agent };
        await foreach (var record in log.ReadFromAsync(snapshot.AppliedSeq + 1, cancellationToken).ConfigureAwait(false))
        {
            snapshot.Apply(record);
        }

        return new SnapshotLoadResult<SkillRunSnapshot>(snapshot, status, path, problem, aside);
    }

    /// <summary>Writes a skill run's snapshot atomically.</summary>
    public ValueTask SaveSkillRunAsync(SkillRunSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        SnapshotFiles.Write(Paths.SkillRunSnapshot(snapshot.Agent, snapshot.RunId), snapshot, SnapshotJsonContext.Default.SkillRunSnapshot);
        return ValueTask.CompletedTask;
    }

    /// <summary>Deletes a finished run's snapshot (no-op when absent).</summary>
    public void DeleteSkillRun(string agent, string runId) => File.Delete(Paths.SkillRunSnapshot(agent, runId));

    /// <summary>The run ids that have a snapshot for <paramref name="agent"/>.</summary>
    public IReadOnlyList<string> ListSkillRuns(string agent)
    {
        var directory = Paths.SkillRuns(agent);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.GetFiles(directory, "*.snapshot.json")
            .Select(f => Path.GetFileName(f)[..^".snapshot.json".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private (T? Snapshot, SnapshotLoadStatus Status, string? Problem, string? Aside) Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!File.Exists(path))
        {
            return (null, SnapshotLoadStatus.Missing, null, null);
        }

        if (SnapshotFiles.TryRead(path, typeInfo, out var snapshot, out var problem))
        {
            return (snapshot, SnapshotLoadStatus.Loaded, null, null);
        }

        var aside = SnapshotFiles.MoveAside(path, _time.GetUtcNow());
        var message = $"The snapshot '{path}' is {problem}; it was moved to '{aside}' and rebuilt from the WAL.";
        _logger.LogWarning("{Message}", message);
        return (null, SnapshotLoadStatus.Rebuilt, message, aside);
    }
}
