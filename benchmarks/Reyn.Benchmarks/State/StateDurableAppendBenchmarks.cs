using BenchmarkDotNet.Attributes;
using Reyn.Events;
using Reyn.State;
using Reyn.State.Internal;

namespace Reyn.Benchmarks.State;

/// <summary>
/// One durable appender awaiting each append vs the physical limit: a raw loop of write + fdatasync on the same file.
/// Goal: Reyn within 10% of the raw loop.
/// </summary>
[Config(typeof(StateBenchmarkConfig))]
public class StateDurableAppendBenchmarks
{
    private const int Appends = 200;
    private string _dir = string.Empty;
    private FileStateLog _log = null!;
    private EventData _fields = null!;
    private FileStream _raw = null!;
    private byte[] _line = [];
    private long _rawOffset;

    [GlobalSetup]
    public void Setup()
    {
        _dir = StateBenchmarkRecords.TempDirectory("durable");
        _log = FileStateLog.Open(new FileStateLogOptions { Path = Path.Combine(_dir, "wal.jsonl"), Durability = DurabilityMode.Always });
        _fields = StateBenchmarkRecords.Fields();
        _raw = new FileStream(Path.Combine(_dir, "raw.jsonl"), FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        _line = StateBenchmarkRecords.Line(123456);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _raw.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The physical limit: write one record, fdatasync, repeat.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Appends)]
    public void RawWriteFdatasync()
    {
        for (var i = 0; i < Appends; i++)
        {
            RandomAccess.Write(_raw.SafeFileHandle, _line, _rawOffset);
            _rawOffset += _line.Length;
            NativeSync.SyncData(_raw);
        }
    }

    /// <summary>Reyn, <see cref="DurabilityMode.Always"/>, one appender awaiting each append.</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task ReynAlwaysSingleAppender()
    {
        for (var i = 0; i < Appends; i++)
        {
            await _log.AppendAsync(WalKinds.StepCompleted, _fields).ConfigureAwait(false);
        }
    }
}
