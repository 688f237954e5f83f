using System.Runtime.CompilerServices;

namespace Reyn.Index;

/// <summary>Runs read straight from <c>&lt;root&gt;/events/**/*.jsonl</c> (fallback when the index is absent).</summary>
public sealed class EventFileRunHistory : IRunHistory
{
    private readonly string _eventsDirectory;

    /// <summary>Creates the history over the <c>.reyn/</c> root <paramref name="rootDirectory"/>.</summary>
    public EventFileRunHistory(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _eventsDirectory = Path.Combine(rootDirectory, "events");
    }

    /// <inheritdoc />
    public string Name => "events";

    /// <inheritdoc />
    public async IAsyncEnumerable<RunSummary> ReadRunsAsync(IndexFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        var reader = new EventRunReader(_eventsDirectory);
        foreach (var run in reader.ReadCompletedRuns(cancellationToken: cancellationToken))
        {
            if (filter.Matches(new ChunkMetadata { Skill = run.Skill, Status = run.Status, VersionHash = run.VersionHash, Timestamp = run.Timestamp }))
            {
                yield return run;
            }
        }
    }
}
