using Reyn.Index.Internal;

namespace Reyn.Index;

/// <summary>
/// Streams <c>&lt;root&gt;/events/**/*.jsonl</c> (sorted by path) and yields each run as soon as its completion event
/// is read. Only the runs still open are held in memory; files are never loaded whole. Blank and torn lines are skipped.
/// </summary>
public sealed class EventRunReader
{
    private readonly string _eventsDirectory;

    /// <summary>Creates a reader over <paramref name="eventsDirectory"/> (normally <c>&lt;root&gt;/events</c>).</summary>
    public EventRunReader(string eventsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventsDirectory);
        _eventsDirectory = Path.GetFullPath(eventsDirectory);
    }

    /// <summary>Runs still unfinished when the last read ended (they are picked up once they complete).</summary>
    public int UnfinishedRuns { get; private set; }

    /// <summary>Lines skipped because they were blank, torn or not an event.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>Files read by the last read.</summary>
    public int FilesRead { get; private set; }

    /// <summary>Files that matched the pattern in the last read (including those skipped as unchanged).</summary>
    public int FilesTotal { get; private set; }

    /// <summary>
    /// Yields completed runs in completion order. Files last written before <paramref name="modifiedSince"/> are not
    /// opened (their runs were read by an earlier pass); a run's events are expected to live in one file.
    /// </summary>
    public IEnumerable<RunSummary> ReadCompletedRuns(DateTimeOffset? modifiedSince = null, Action<int, int>? onFile = null, CancellationToken cancellationToken = default)
    {
        UnfinishedRuns = 0;
        SkippedLines = 0;
        FilesRead = 0;
        FilesTotal = 0;
        if (!Directory.Exists(_eventsDirectory))
        {
            yield break;
        }

        var files = Directory.GetFiles(_eventsDirectory, "*.jsonl", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        FilesTotal = files.Length;
        var open = new Dictionary<string, RunAccumulator>(StringComparer.Ordinal);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        for (var f = 0; f < files.Length; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[f];
            if (modifiedSince is { } since && File.GetLastWriteTimeUtc(file) < since.UtcDateTime)
            {
                continue;
            }

            FilesRead++;
            using (var lines = new Utf8LineReader(file))
            {
                while (lines.TryReadLine(out var line))
                {
                    if (!RawEvent.TryParse(line, out var evt))
                    {
                        SkippedLines++;
                        continue;
                    }

                    if (evt.RunId is null || !RunAccumulator.IsRelevant(evt.Type) || completed.Contains(evt.RunId))
                    {
                        continue;
                    }

                    if (!open.TryGetValue(evt.RunId, out var run))
                    {
                        run = new RunAccumulator(evt.RunId, file);
                        open[evt.RunId] = run;
                    }

                    if (run.Add(evt) is { } summary)
                    {
                        open.Remove(evt.RunId);
                        completed.Add(evt.RunId);
                        yield return summary;
                    }
                }
            }

            onFile?.Invoke(f + 1, files.Length);
        }

        UnfinishedRuns = open.Count;
    }
}
