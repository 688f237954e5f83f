using System.Text.RegularExpressions;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// <c>grep</c> (world): searches workspace files line by line with a regular expression.
/// Arguments: <c>pattern</c>, optional <c>path</c> (file or directory, default the workspace), <c>glob</c> (file-name
/// filter such as <c>*.log</c>), <c>ignore_case</c>, <c>max_results</c> (default 200).
/// Data: <c>{matches: [{path, line, text}], files_searched, truncated}</c>.
/// </summary>
public sealed class GrepOp : IOp, IFileAccessOp
{
    /// <inheritdoc />
    public string Kind => "grep";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.World;

    /// <inheritdoc />
    public IReadOnlyList<PathAccess> DescribeFileAccess(OpArguments arguments) =>
        [new(arguments.GetOptionalString("path") ?? ".", PathAccessMode.Read)];

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var args = invocation.Arguments;
        var pattern = args.GetString("pattern");
        var path = args.GetOptionalString("path") ?? ".";
        var glob = args.GetOptionalString("glob");
        var maxResults = Math.Max(1, args.GetInt32("max_results", 200));
        Regex regex;
        try
        {
            regex = new Regex(pattern, (args.GetBoolean("ignore_case", false) ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new OpArgumentException($"Argument 'pattern' is not a valid regular expression: {ex.Message}");
        }

        var full = invocation.Workspace.Resolve(path);
        IEnumerable<string> files;
        if (File.Exists(full))
        {
            files = [full];
        }
        else if (Directory.Exists(full))
        {
            files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories);
        }
        else
        {
            return OpResult.Fail("not_found", $"Path '{path}' does not exist in the workspace.");
        }

        var nameMatcher = glob is null ? null : GlobMatcher.Create(glob);
        var sorted = new List<string>(files);
        sorted.Sort(StringComparer.Ordinal);
        var matches = new List<object>();
        var searched = 0;
        var truncated = false;
        foreach (var file in sorted)
        {
            if (nameMatcher is not null && !nameMatcher.IsMatch(Path.GetFileName(file)))
            {
                continue;
            }

            if (!invocation.Workspace.TryResolve(file, out _))
            {
                continue;
            }

            searched++;
            var lineNumber = 0;
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken).ConfigureAwait(false))
            {
                lineNumber++;
                if (!regex.IsMatch(line))
                {
                    continue;
                }

                if (matches.Count == maxResults)
                {
                    truncated = true;
                    break;
                }

                matches.Add(new { path = invocation.Workspace.ToRelative(file), line = lineNumber, text = line.Length > 500 ? line[..500] : line });
            }

            if (truncated)
            {
                break;
            }
        }

        return OpResult.Ok(new { matches, files_searched = searched, truncated });
    }
}
