using System.Text;
using System.Text.RegularExpressions;

namespace Reyn.Runtime.Internal;

/// <summary>
/// Matches '/'-separated relative paths against a glob: <c>**</c> any number of directories, <c>*</c> any characters
/// within one segment, <c>?</c> one character. <c>logs/**</c> matches <c>logs</c> itself and everything under it.
/// </summary>
internal sealed class GlobMatcher
{
    private readonly Regex _regex;

    private GlobMatcher(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    public string Pattern { get; }

    public static GlobMatcher Create(string glob)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(glob);
        var pattern = glob.Replace('\\', '/').TrimStart('/');
        if (pattern.StartsWith("./", StringComparison.Ordinal))
        {
            pattern = pattern[2..];
        }

        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var atSegmentEnd = i + 2 == pattern.Length || pattern[i + 2] == '/';
                if (i + 2 < pattern.Length && pattern[i + 2] == '/')
                {
                    regex.Append("(?:.*/)?");
                    i += 2;
                }
                else
                {
                    regex.Append(".*");
                    i += 1;
                }

                _ = atSegmentEnd;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        // "dir/**" also covers "dir" itself.
        var text = regex.ToString();
        if (text.EndsWith("/.*", StringComparison.Ordinal))
        {
            text = text[..^3] + "(?:/.*)?";
        }

        return new GlobMatcher(pattern, new Regex(text + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled));
    }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath.Replace('\\', '/'));
}
