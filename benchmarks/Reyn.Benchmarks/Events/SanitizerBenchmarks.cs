using BenchmarkDotNet.Attributes;
using Reyn.Events.Sanitization;

namespace Reyn.Benchmarks.Events;

/// <summary>
/// Sanitizing one 1 MB adversarial string (inputs that make backtracking regexes explode; each ends in a real token).
/// Baseline: what a user would write (and what the sanitizer did before): run the NonBacktracking patterns of
/// <see cref="SecretPatterns"/> over the whole string, then cap it. Versus <see cref="EventSanitizer.SanitizeString"/>,
/// which redacts only what survives the 500-character cap plus the look-ahead that catches a secret straddling the cut.
/// The goal is well under 100 ms per 1 MB string.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class SanitizerBenchmarks
{
    private const int OneMegabyte = 1 << 20;

    private readonly EventSanitizer _sanitizer = new(new SanitizerOptions());

    [Params("http://", "a:b", "Bearer ", "eyJaaaaaaaaaa.a.", "?token&key&", "SECRET_TOKEN_", "plain text, ")]
    public string Unit { get; set; } = "";

    private string _input = "";

    [GlobalSetup]
    public void Setup() => _input = string.Concat(Enumerable.Repeat(Unit, OneMegabyte / Unit.Length)) + " ghp_abcdefghijklmnopqrstuvwx1234";

    [Benchmark(Baseline = true, Description = "Redact whole 1 MB string, then cap")]
    public string RedactWholeThenCap()
    {
        var redacted = SecretPatterns.Redact(_input);
        return redacted.Length > 500 ? redacted[..500] : redacted;
    }

    [Benchmark(Description = "EventSanitizer.SanitizeString, 1 MB")]
    public string SanitizeString() => _sanitizer.SanitizeString(_input);
}
