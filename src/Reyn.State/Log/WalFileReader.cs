using System.Buffers;
using System.Runtime.CompilerServices;
using Reyn.State.Internal;

namespace Reyn.State;

/// <summary>Reads WAL files without opening them for writing (no lock): the CLI, tools and tests use it.</summary>
public static class WalFileReader
{
    /// <summary>
    /// Streams the valid records of the WAL at <paramref name="path"/> with <c>seq &gt;= fromSeq</c>, in file order.
    /// Every bad stretch is passed to <paramref name="onProblem"/> and skipped; when <paramref name="onProblem"/> is
    /// <see langword="null"/> a bad record throws <see cref="StateLogCorruptException"/> instead. A missing file is empty.
    /// </summary>
    public static async IAsyncEnumerable<WalRecord> ReadAsync(string path, long fromSeq = 0, Action<WalProblem>? onProblem = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            yield break;
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var record in ReadVerifiedAsync(stream, path, long.MaxValue, fromSeq, onProblem, cancellationToken).ConfigureAwait(false))
            {
                yield return record;
            }
        }
    }

    internal static async IAsyncEnumerable<WalRecord> ReadVerifiedAsync(Stream stream, string path, long limit, long fromSeq, Action<WalProblem>? onProblem, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var filled = 0;
            long bufferOffset = 0; // file offset of buffer[0]
            long previousSeq = 0;
            var eof = false;
            while (true)
            {
                var start = 0;
                while (true)
                {
                    var newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    var lineOffset = bufferOffset + start;
                    var record = Check(buffer.AsSpan(start, newline), lineOffset, newline + 1, ref previousSeq, fromSeq, path, onProblem);
                    start += newline + 1;
                    if (record is not null)
                    {
                        yield return record;
                    }
                }

                // Keep the partial line, then read more.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                    filled -= start;
                    bufferOffset += start;
                }

                if (eof)
                {
                    if (filled > 0)
                    {
                        Report(new WalProblem(bufferOffset, filled, null, "incomplete last record (no newline): a torn write"), path, onProblem);
                    }

                    yield break;
                }

                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var remaining = limit - (bufferOffset + filled);
                var toRead = (int)Math.Min(buffer.Length - filled, remaining);
                var n = toRead <= 0 ? 0 : await stream.ReadAsync(buffer.AsMemory(filled, toRead), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    eof = true;
                }

                filled += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static WalRecord? Check(ReadOnlySpan<byte> line, long offset, int length, ref long previousSeq, long fromSeq, string path, Action<WalProblem>? onProblem)
    {
        if (!WalLine.TryVerify(line, out var seq, out var problem))
        {
            Report(new WalProblem(offset, length, null, problem + ": " + WalLine.Excerpt(line)), path, onProblem);
            return null;
        }

        if (seq <= previousSeq)
        {
            Report(new WalProblem(offset, length, seq, $"seq {seq} does not follow seq {previousSeq} (out of order or duplicated)"), path, onProblem);
            return null;
        }

        previousSeq = seq;
        return seq >= fromSeq ? WalLine.Parse(line) : null;
    }

    private static void Report(WalProblem problem, string path, Action<WalProblem>? onProblem)
    {
        if (onProblem is null)
        {
            throw new StateLogCorruptException(path, problem.Offset, problem.Description);
        }

        onProblem(problem);
    }
}
