using System.Buffers;
using System.Text.RegularExpressions;

namespace Reyn.Events.Sanitization;

/// <summary>
/// Finds secrets inside free text: credential URLs, secret query parameters, token shapes and
/// <c>UPPER_CASE_SECRET=value</c> assignments. Every pattern runs on the <see cref="RegexOptions.NonBacktracking"/>
/// engine, whose matching time is linear in the input length by construction (no catastrophic backtracking).
/// </summary>
public static class SecretPatterns
{
    /// <summary>The replacement text of a secret.</summary>
    public const string Redacted = "[redacted]";

    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Substrings (case-sensitive) without which no pattern below can match; strings lacking all of them skip the
    // regexes. URLs and assignments need ':' or '=', query parameters '=', JWTs "eyJ", and so on; "earer"/"EARER"
    // stand for Bearer in any case.
    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        [":", "=", "eyJ", "sk-", "xox", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA", "ASIA", "earer", "EARER"],
        StringComparison.Ordinal);

    /// <summary>
    /// Case-insensitive rules: <c>scheme://user:pass@host</c> (any scheme), secret query parameters, Bearer tokens.
    /// </summary>
    internal static readonly Regex CaseInsensitive = new(
        @"(?<url>\b[a-z][a-z0-9+.\-]{0,30}://)[^\s/?#]+@"
        + @"|(?<query>[?&](access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|key|sig|signature|password|passwd|secret|client_secret|code)=)[^&#\s""'<>]+"
        + @"|(?<bearer>\bbearer\s+)[a-z0-9._~+/=\-]{8,}",
        Linear | RegexOptions.IgnoreCase);

    /// <summary>
    /// Case-sensitive rules: GitHub tokens (<c>ghp_</c>, <c>github_pat_</c>...), <c>sk-</c> keys, Slack <c>xox?-</c>
    /// tokens, AWS access key ids, JWTs and <c>UPPER_CASE_SECRET=value</c> (or <c>: value</c>) assignments.
    /// </summary>
    internal static readonly Regex CaseSensitive = new(
        @"\bgh[pousr]_[A-Za-z0-9_]{20,}"
        + @"|\bgithub_pat_[A-Za-z0-9_]{20,}"
        + @"|\bsk-[A-Za-z0-9_\-]{16,}"
        + @"|\bxox[a-z]-[A-Za-z0-9\-]{10,}"
        + @"|\b(AKIA|ASIA)[0-9A-Z]{16}\b"
        + @"|\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"
        + @"|(?<assign>\b[A-Z0-9_]*(TOKEN|PASSWORD|PASSWD|SECRET|AUTHORIZATION|COOKIE|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?|ACCESS_KEY)[A-Z0-9_]*[ \t]*[=:][ \t]*[""']?)[^\s""'`,;&]+",
        Linear);

    /// <summary>The regexes in the order they are applied (exposed so tests can check their engine options).</summary>
    internal static IReadOnlyList<Regex> All { get; } = [CaseInsensitive, CaseSensitive];

    /// <summary>Whether <paramref name="text"/> could contain a secret that <see cref="Redact"/> would replace (a cheap pre-check).</summary>
    public static bool MayContainSecret(ReadOnlySpan<char> text) => text.Length >= 6 && text.ContainsAny(Triggers);

    /// <summary>
    /// Replaces every secret in <paramref name="text"/>: <c>scheme://[redacted]@host</c>, <c>?token=[redacted]</c>,
    /// <c>Bearer [redacted]</c>, <c>NAME=[redacted]</c>, and <c>[redacted]</c> for bare token shapes. Returns the same
    /// instance when nothing matched. Linear time in the length of <paramref name="text"/>; no length cap is applied.
    /// </summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MayContainSecret(text))
        {
            return text;
        }

        var once = CaseInsensitive.Replace(text, ReplaceCaseInsensitive);
        return CaseSensitive.Replace(once, ReplaceCaseSensitive);
    }

    private static string ReplaceCaseInsensitive(Match match)
    {
        if (match.Groups["url"] is { Success: true } url)
        {
            return url.Value + Redacted + "@";
        }

        if (match.Groups["query"] is { Success: true } query)
        {
            return query.Value + Redacted;
        }

        return "Bearer " + Redacted;
    }

    private static string ReplaceCaseSensitive(Match match) =>
        match.Groups["assign"] is { Success: true } assign ? assign.Value + Redacted : Redacted;
}
