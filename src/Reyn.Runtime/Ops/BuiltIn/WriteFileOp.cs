using System.Text;

namespace Reyn.Runtime;

/// <summary>
/// <c>write_file</c> (side effect): writes (or with <c>append: true</c> appends) UTF-8 text to a workspace file,
/// creating directories. Arguments: <c>path</c>, <c>content</c>, optional <c>append</c>. Data: <c>{path, bytes}</c>.
/// </summary>
public sealed class WriteFileOp : IOp, IFileAccessOp
{
    /// <inheritdoc />
    public string Kind => "write_file";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.SideEffect;

    /// <inheritdoc />
    public IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments) => [new(arguments.GetString("path"), PathAccessMode.Write)];

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var path = invocation.Arguments.GetString("path");
        var content = invocation.Arguments.GetOptionalString("content")
            ?? throw new OpArgumentException("Missing required argument 'content' (a string; use \"\" for an empty file).");
        var append = invocation.Arguments.GetBoolean("append", false);
        var full = invocation.Workspace.Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var bytes = Encoding.UTF8.GetBytes(content);
        await using (var stream = new FileStream(full, append ? FileMode.Append : FileMode.Create, System.IO.FileAccess.Write, FileShare.Read, 4096, useAsync: true))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return OpResult.Ok(new { path = invocation.Workspace.ToRelative(full), bytes = bytes.Length });
    }
}
