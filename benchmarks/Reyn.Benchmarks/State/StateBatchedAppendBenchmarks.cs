using BenchmarkDotNet.Attributes;
using Reyn.Events;
using Reyn.State;
using Reyn.State.Internal;

namespace Reyn.Benchmarks.State;

/// <summary>
/// Batched single appender, ~200-byte records, vs a buffered raw <see cref="FileStream"/> writing the same bytes.
/// Goals: at least 1,000,000 appends/s, at least 0.5x the raw stream, at most 1 allocation per append. A third case
/// adds to the raw stream only what every record needs besides being built (a clock read and a CRC32C).
/// </summary>
[Config(typeof(StateBenchmarkConfig))]
public class StateBatchedAppendBenchmarks
{
    private const int Appends = 200_000;
    private string _dir = string.Empty;
    private FileStateLog _log = null!;
    private EventData _fields = null!;
    private FileStream _raw = null!;
    private FileStream _rawChecked = null!;
    private byte[] _line = [];
    private int _iteration;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StateBenchmarkRecords.TempDirectory("batched");
        _fields = StateBenchmarkRecords.Fields();
        _line = StateBenchmarkRecords.Line(1234567);
    }

    [IterationSetup]
    public void IterationSetup()
    {
        _iteration++;
        _log = FileStateLog.Open(new FileStateLogOptions { Path = Path.Combine(_dir, $"wal-{_iteration}.jsonl"), Durability = DurabilityMode.Batched, BatchInterval = TimeSpan.FromMilliseconds(10) });
        _raw = new FileStream(Path.Combine(_dir, $"raw-{_iteration}.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _rawChecked = new FileStream(Path.Combine(_dir, $"raw-checked-{_iteration}.jsonl"), FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw.Dispose();
        _rawChecked.Dispose();
        foreach (var file in Directory.GetFiles(_dir))
        {
            File.Delete(file);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>A buffered FileStream (64 KiB buffer) writing the same bytes, no sync.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Appends)]
    public void RawBufferedFileStream()
    {
        for (var i = 0; i < Appends; i++)
        {
            _raw.Write(_line);
        }
    }

    /// <summary>
    /// What every record of the WAL's format costs before it is even built: the raw stream above plus a clock read and
    /// the line's CRC32C. No record is serialized, so this bounds from above the share of the raw rate that a writer
    /// building each record of this format on the appending thread can reach.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public long RawWithClockAndCrc()
    {
        long check = 0;
        for (var i = 0; i < Appends; i++)
        {
            check += DateTime.UtcNow.Ticks ^ Crc32C.Compute(_line);
            _rawChecked.Write(_line);
        }

        return check;
    }

    /// <summary>Reyn, <see cref="DurabilityMode.Batched"/> (10 ms), one appender awaiting each append.</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task ReynBatchedSingleAppender()
    {
        for (var i = 0; i < Appends; i++)
        {
            await _log.AppendAsync(WalKinds.StepCompleted, _fields).ConfigureAwait(false);
        }
    }
}
