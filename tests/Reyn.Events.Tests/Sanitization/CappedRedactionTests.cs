using System.Globalization;
using System.Text;
using Reyn.Events.Sanitization;

namespace Reyn.Events.Tests.Sanitization;

/// <summary>
/// Long strings are redacted only as far as the length cap keeps them. These tests compare the result with the
/// straightforward definition (redact the whole string, then cap it) and check that no secret straddling the cut leaks.
/// </summary>
public sealed class CappedRedactionTests
{
    private const int MaxLength = 500;
    private readonly EventSanitizer _sanitizer = new(new SanitizerOptions { MaxStringLength = MaxLength });

    public static TheoryData<string, string> Straddling() => new()
    {
        { "github token across the cut", new string('x', 470) + " ghp_" + new string('a', 200) + " " + Filler(3000) },
        { "token much longer than the cap", "ghp_" + new string('a', 5000) + " " + Filler(3000) },
        { "userinfo longer than the window", "see https://" + new string('u', 3000) + ":pw@example.com/x " + Filler(2000) },
        { "userinfo across the cut", new string('y', 460) + " https://user:" + new string('p', 200) + "@h/ " + Filler(2000) },
        { "jwt with a long first segment", "jwt eyJ" + new string('h', 4000) + ".payloadpayload.signaturesig " + Filler(2000) },
        { "jwt across the cut", new string('z', 480) + " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln " + Filler(2000) },
        { "bearer across the cut", new string('w', 490) + " Bearer abcdefghijklmnop " + Filler(2000) },
        { "assignment across the cut", new string('v', 490) + " DB_PASSWORD=" + new string('s', 300) + " " + Filler(2000) },
        { "query secret across the cut", new string('q', 480) + " /cb?token=" + new string('t', 300) + "&x=1 " + Filler(2000) },
        { "many secrets shrink the prefix", string.Concat(Enumerable.Repeat("ghp_" + new string('b', 40) + " ", 200)) },
        { "sendgrid key across the cut", new string('g', 498) + " SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG " + Filler(2000) },
        { "private key across the cut", new string('k', 480) + " -----BEGIN RSA PRIVATE KEY-----\n" + new string('M', 1600) + "\n-----END RSA PRIVATE KEY----- " + Filler(2000) },
        { "lower-case setting across the cut", new string('c', 490) + " password: " + new string('p', 300) + " " + Filler(2000) },
    };

    [Theory]
    [MemberData(nameof(Straddling))]
    public void SanitizeString_SecretNearOrAcrossTheCut_KeptTextSameAsRedactingTheWholeStringThenCapping(string name, string input)
    {
        var output = _sanitizer.SanitizeString(input);

        // The kept text is identical; only the marker's count may differ (secrets in the unscanned tail are not shrunk).
        var expected = Reference(input);
        KeptText(output).Should().Be(KeptText(expected), name);
        output.Should().MatchRegex(@"\.\.\.\[truncated \d+ chars\]$");
        output.Length.Should().BeLessThanOrEqualTo(MaxLength);
    }

    [Fact]
    public void SanitizeString_SecretEntirelyAfterTheCut_TailNeverScannedAndMarkerCountsTheCutChars()
    {
        var input = Filler(700) + " ghp_" + new string('a', 40) + " " + Filler(5000);

        var output = _sanitizer.SanitizeString(input);

        output.Should().NotContain("ghp_");
        output.Should().MatchRegex(@"\.\.\.\[truncated \d+ chars\]$");
        var kept = output.IndexOf("...[truncated", StringComparison.Ordinal);
        output[..kept].Should().Be(input[..kept]);
        int.Parse(output[(kept + 14)..output.IndexOf(" chars", kept, StringComparison.Ordinal)], CultureInfo.InvariantCulture)
            .Should().Be(input.Length - kept, "the unscanned tail is counted as it stands");
    }

    [Fact]
    public void SanitizeString_RandomMixOfSecretsAndNearMisses_KeptTextMatchesWholeStringRedaction()
    {
        string[] fragments =
        [
            "ghp_abcdefghijklmnopqrstuvwx1234", "ghp_short", "https://u:pw@h/", "http://", "a:b", "Bearer ", "Bearer abcdefghij12",
            "eyJaaaaaaaaaa.a.", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2ln", "?token=abc&", "?token&key&",
            "SECRET_TOKEN_", "API_KEY=xyz123", "sk-aaaaaaaaaaaaaaaaaaaa", "AKIAABCDEFGHIJKLMNOP", "plain text, ", " ", "@", "/", ".",
            "xoxb-1234567890ab", new string('k', 97), "://", "eyJ", "password: ", "AccountKey=abc;", "sk_live_abcdefghijklmnop1234",
            "SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "-----BEGIN RSA PRIVATE KEY-----\nMIIE",
        ];
        var random = new Random(20261122);
        for (var iteration = 0; iteration < 400; iteration++)
        {
            var builder = new StringBuilder();
            var length = random.Next(600, 6000);
            while (builder.Length < length)
            {
                builder.Append(fragments[random.Next(fragments.Length)]);
            }

            var input = builder.ToString();
            var output = _sanitizer.SanitizeString(input);
            var expected = Reference(input);

            KeptText(output).Should().Be(KeptText(expected)[..KeptText(output).Length], $"iteration {iteration}: {input}");
            Math.Abs(KeptText(output).Length - KeptText(expected).Length).Should().BeLessThanOrEqualTo(1, $"iteration {iteration}");
            output.Length.Should().BeLessThanOrEqualTo(MaxLength);
        }
    }

    [Fact]
    public void Sanitize_LongStringWithSecretInKeptPart_ReportsRedactedAndTruncated()
    {
        var data = new EventData { ["text"] = "key ghp_abcdefghijklmnopqrstuvwx1234 " + Filler(5000) };

        var changes = _sanitizer.Sanitize(data);

        ((string)data["text"]!).Should().StartWith("key [redacted] ");
        changes.Should().HaveFlag(SanitizationChanges.Redacted).And.HaveFlag(SanitizationChanges.StringTruncated);
    }

    [Fact]
    public void Sanitize_LongCleanString_ReportsTruncatedOnly()
    {
        var data = new EventData { ["text"] = Filler(5000) };

        var changes = _sanitizer.Sanitize(data);

        changes.Should().HaveFlag(SanitizationChanges.StringTruncated);
        changes.Should().NotHaveFlag(SanitizationChanges.Redacted);
    }

    private static string Filler(int length)
    {
        var builder = new StringBuilder(length + 16);
        while (builder.Length < length)
        {
            builder.Append("lorem ipsum dolor ");
        }

        return builder.ToString(0, length);
    }

    private static string KeptText(string output)
    {
        var marker = output.IndexOf("...[truncated ", StringComparison.Ordinal);
        return marker < 0 ? output : output[..marker];
    }

    /// <summary>The definition: redact the whole string, then cap it (what the sanitizer did before it learned to stop early).</summary>
    private static string Reference(string input)
    {
        var value = SecretPatterns.Redact(input);
        if (value.Length <= MaxLength)
        {
            return value;
        }

        var marker = "...[truncated " + (value.Length - MaxLength).ToString(CultureInfo.InvariantCulture) + " chars]";
        var keep = Math.Max(0, MaxLength - marker.Length);
        marker = "...[truncated " + (value.Length - keep).ToString(CultureInfo.InvariantCulture) + " chars]";
        keep = Math.Max(0, MaxLength - marker.Length);
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return string.Concat(value.AsSpan(0, keep), marker);
    }
}
