namespace Reyn.Runtime;

/// <summary>
/// <c>edit_file</c> (side effect): replaces <c>old_text</c> with <c>new_text</c> in a workspace file. The old text must
/// occur exactly once unless <c>replace_all</c> is true. Data: <c>{path, replacements}</c>.
/// </summary>
public sealed class EditFileOp : IOp, IFileAccessOp
{
    /// <inheritdoc />
    public string Kind => "edit_file";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.SideEffect;

    /// <inheritdoc />
    public IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments) => [new(arguments.GetString("path"), PathAccessMode.Write)];

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var path = invocation.Arguments.GetString("path");
        var oldText = invocation.Arguments.GetString("old_text");
        var newText = invocation.Arguments.GetOptionalString("new_text") ?? string.Empty;
        var replaceAll = invocation.Arguments.GetBoolean("replace_all", false);
        if (oldText.Length == 0)
        {
            throw new OpArgumentException("Argument 'old_text' must not be empty; use write_file to create or overwrite a file.");
        }

        var full = invocation.Workspace.Resolve(path);
        if (!File.Exists(full))
        {
            return OpResult.Fail("not_found", $"File '{path}' does not exist in the workspace.");
        }

        var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
        var count = 0;
        for (var i = text.IndexOf(oldText, StringComparison.Ordinal); i >= 0; i = text.IndexOf(oldText, i + oldText.Length, StringComparison.Ordinal))
        {
            count++;
        }

        if (count == 0)
        {
            return OpResult.Fail("not_found", $"The text to replace was not found in '{path}'. Read the file first and copy the exact text.");
        }

        if (count > 1 && !replaceAll)
        {
            return OpResult.Fail("ambiguous", $"The text to replace occurs {count} times in '{path}'. Include more context to make it unique, or pass replace_all: true.");
        }

        await File.WriteAllTextAsync(full, text.Replace(oldText, newText, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        return OpResult.Ok(new { path = invocation.Workspace.ToRelative(full), replacements = count });
    }
}
