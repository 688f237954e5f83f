using System.Text;

namespace Reyn.Runtime;

/// <summary>
/// <c>read_file</c> (world): reads a UTF-8 text file in the workspace.
/// Arguments: <c>path</c>, optional <c>max_bytes</c> (default 1 MiB). Data: <c>{path, content, bytes, truncated}</c>.
/// </summary>
public sealed class ReadFileOp : IOp, IFileAccessOp
{
    /// <inheritdoc />
    public string Kind => "read_file";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.World;

    /// <inheritdoc />
    public IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments) => [new(arguments.GetString("path"), PathAccessMode.Read)];

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var path = invocation.Arguments.GetString("path");
        var maxBytes = invocation.Arguments.GetInt32("max_bytes", 1 << 20);
        var full = invocation.Workspace.Resolve(path);
        if (!File.Exists(full))
        {
            return OpResult.Fail("not_found", $"File '{path}' does not exist in the workspace.");
        }

        await using var stream = new FileStream(full, FileMode.Open, System.IO.FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        var length = stream.Length;
        var toRead = (int)Math.Min(length, Math.Max(0, maxBytes));
        var buffer = new byte[toRead];
        var read = 0;
        while (read < toRead)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read, toRead - read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return OpResult.Ok(new
        {
            path = invocation.Workspace.ToRelative(full),
            content = Encoding.UTF8.GetString(buffer, 0, read),
            bytes = length,
            truncated = length > read,
        });
    }
}
