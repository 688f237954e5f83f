using Reyn.Events.Sanitization;

namespace Reyn.Events.Tests.Sanitization;

/// <summary>
/// 1 MB inputs crafted to make backtracking regexes explode. The patterns run on the NonBacktracking engine (asserted
/// in SecretPatternsTests), so these complete; the assertions check the output, proving the whole input was scanned.
/// Timings are measured in benchmarks/Reyn.Benchmarks/Events (SanitizerBenchmarks), not asserted here.
/// </summary>
public sealed class AdversarialInputTests
{
    private const int OneMegabyte = 1 << 20;

    public static TheoryData<string, string> Inputs() => new()
    {
        { "repeated schemes", "http://" },
        { "userinfo without @", "a:b" },
        { "bearer prefixes", "Bearer " },
        { "jwt-like segments", "eyJaaaaaaaaaa.a." },
        { "query keys", "?token&key&" },
        { "assignment names", "SECRET_TOKEN_" },
        { "sk near misses", "sk-aaaaaaaaaaaaaaa!" },
        { "word chars", "abcdefghij" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Redact_OneMegabyteAdversarialInputThenSecret_ScannedToTheEndAndSecretRedacted(string name, string unit)
    {
        var prefix = string.Concat(Enumerable.Repeat(unit, OneMegabyte / unit.Length));
        var input = prefix + " https://u:pw@h/ ghp_abcdefghijklmnopqrstuvwx1234";

        var output = SecretPatterns.Redact(input);

        output.Should().EndWith(" https://[redacted]@h/ [redacted]", name);
        output.Length.Should().BeGreaterThan(OneMegabyte - unit.Length, "the adversarial prefix is kept (it holds no complete secret)");
    }

    [Fact]
    public void Sanitize_OneMegabyteString_CappedAndPayloadStaysSmall()
    {
        var data = new EventData { ["blob"] = string.Concat(Enumerable.Repeat("http://a:b", OneMegabyte / 10)) };

        var changes = new EventSanitizer(new SanitizerOptions()).Sanitize(data);

        ((string)data["blob"]!).Length.Should().BeLessThanOrEqualTo(500);
        changes.Should().HaveFlag(SanitizationChanges.StringTruncated);
    }
}
