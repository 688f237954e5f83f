using System.Buffers;
using System.Text.RegularExpressions;

namespace Reyn.Events.Sanitization;

/// <summary>
/// Finds secrets inside free text: credential URLs, secret query parameters, token shapes, PEM private keys,
/// <c>UPPER_CASE_SECRET=value</c> assignments and <c>password: value</c>-style settings in any case. Every pattern runs
/// on the <see cref="RegexOptions.NonBacktracking"/> engine, whose matching time is linear in the input length by
/// construction (no catastrophic backtracking).
/// </summary>
public static class SecretPatterns
{
    /// <summary>The replacement text of a secret.</summary>
    public const string Redacted = "[redacted]";

    private const RegexOptions Linear = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Characters and substrings (case-sensitive) without which no pattern below can match; strings lacking all of them
    // skip the regexes. URLs, assignments and settings need ':' or '=', query parameters '=', JWTs "eyJ", and so on;
    // "earer"/"EARER" stand for Bearer in any case. ':' and '=' are searched on their own first: with one-character
    // needles among them, a set of strings is searched two to three times slower.
    private static readonly SearchValues<char> SeparatorTriggers = SearchValues.Create(":=");

    private static readonly SearchValues<string> TokenTriggers = SearchValues.Create(
        ["eyJ", "sk-", "xox", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "AKIA", "ASIA", "earer", "EARER",
         "sk_", "rk_", "AIza", "npm_", "hf_", "glpat-", "SG.", "PRIVATE KEY"],
        StringComparison.Ordinal);

    /// <summary>
    /// Case-insensitive rules: <c>scheme://user:pass@host</c> (any scheme), secret query parameters, Bearer tokens, and
    /// settings whose name holds password, passwd, secret, an api/access/account/private key or an auth/access/refresh
    /// token, written <c>name=value</c> or <c>name: value</c> (config files, connection strings such as
    /// <c>Password=…;</c> or Azure's <c>AccountKey=…;</c>, JSON text). A bare <c>token</c> is left to the upper-case rule:
    /// lower-case "tokens: 1200" is model usage, not a secret.
    /// </summary>
    internal static readonly Regex CaseInsensitive = new(
        @"(?<url>\b[a-z][a-z0-9+.\-]{0,30}://)[^\s/?#]+@"
        + @"|(?<query>[?&](access_token|refresh_token|id_token|auth_token|token|api_key|apikey|api-key|key|sig|signature|password|passwd|secret|client_secret|code)=)[^&#\s""'<>]+"
        + @"|(?<bearer>\bbearer\s+)[a-z0-9._~+/=\-]{8,}"
        + @"|(?<setting>\b[a-z0-9_.\-]{0,30}(password|passwd|secret|api[-_]?key|access[-_]?key|account[-_]?key|private[-_]?key|auth[-_]?token|access[-_]?token|refresh[-_]?token)[""']?[ \t]*[=:][ \t]*[""']?)[^\s""'`,;&<>]+",
        Linear | RegexOptions.IgnoreCase);

    /// <summary>
    /// Case-sensitive rules: GitHub tokens (<c>ghp_</c>, <c>github_pat_</c>...), <c>sk-</c> keys, Slack <c>xox?-</c>
    /// tokens, AWS access key ids, JWTs, Stripe (<c>sk_live_</c>, <c>rk_test_</c>...), Google (<c>AIza…</c>), npm,
    /// Hugging Face, GitLab and SendGrid tokens, PEM private keys (header and body; the END line is kept) and
    /// <c>UPPER_CASE_SECRET=value</c> (or <c>: value</c>) assignments.
    /// </summary>
    internal static readonly Regex CaseSensitive = new(
        @"\bgh[pousr]_[A-Za-z0-9_]{20,}"
        + @"|\bgithub_pat_[A-Za-z0-9_]{20,}"
        + @"|\bsk-[A-Za-z0-9_\-]{16,}"
        + @"|\bxox[a-z]-[A-Za-z0-9\-]{10,}"
        + @"|\b(AKIA|ASIA)[0-9A-Z]{16}\b"
        + @"|\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"
        + @"|\b[rs]k_(live|test)_[A-Za-z0-9]{16,}"
        + @"|\bAIza[0-9A-Za-z_\-]{30,}"
        + @"|\bnpm_[A-Za-z0-9]{36}"
        + @"|\bhf_[A-Za-z0-9]{30,}"
        + @"|\bglpat-[A-Za-z0-9_\-]{20,}"
        + @"|\bSG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}"
        + @"|-----BEGIN[A-Z ]{0,20} PRIVATE KEY( BLOCK)?-----[A-Za-z0-9+/=\s\\]*"
        + @"|(?<assign>\b[A-Z0-9_]*(TOKEN|PASSWORD|PASSWD|SECRET|AUTHORIZATION|COOKIE|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIALS?|ACCESS_KEY)[A-Z0-9_]*[ \t]*[=:][ \t]*[""']?)[^\s""'`,;&]+",
        Linear);

    /// <summary>The regexes in the order they are applied (exposed so tests can check their engine options).</summary>
    internal static IReadOnlyList<Regex> All { get; } = [CaseInsensitive, CaseSensitive];

    /// <summary>Whether <paramref name="text"/> could contain a secret that <see cref="Redact"/> would replace (a cheap pre-check).</summary>
    public static bool MayContainSecret(ReadOnlySpan<char> text) =>
        text.Length >= 6 && (text.ContainsAny(SeparatorTriggers) || text.ContainsAny(TokenTriggers));

    /// <summary>
    /// Replaces every secret in <paramref name="text"/>: <c>scheme://[redacted]@host</c>, <c>?token=[redacted]</c>,
    /// <c>Bearer [redacted]</c>, <c>NAME=[redacted]</c>, <c>password: [redacted]</c>, and <c>[redacted]</c> for bare
    /// token shapes and private keys. Returns the same instance when nothing matched. Linear time in the length of
    /// <paramref name="text"/>; no length cap is applied.
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

    internal static string ReplaceCaseInsensitive(Match match)
    {
        if (match.Groups["url"] is { Success: true } url)
        {
            return url.Value + Redacted + "@";
        }

        if (match.Groups["query"] is { Success: true } query)
        {
            return query.Value + Redacted;
        }

        if (match.Groups["setting"] is { Success: true } setting)
        {
            return setting.Value + Redacted;
        }

        return "Bearer " + Redacted;
    }

    internal static string ReplaceCaseSensitive(Match match) =>
        match.Groups["assign"] is { Success: true } assign ? assign.Value + Redacted : Redacted;
}
