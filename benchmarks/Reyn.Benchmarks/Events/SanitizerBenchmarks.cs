using BenchmarkDotNet.Attributes;
using Reyn.Events.Sanitization;

namespace Reyn.Benchmarks.Events;

/// <summary>
/// Secret redaction over 1 MB adversarial strings (inputs that make backtracking regexes explode), with the
/// NonBacktracking patterns of <see cref="SecretPatterns"/>; the goal is well under 100 ms per 1 MB string.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class SanitizerBenchmarks
{
    private const int OneMegabyte = 1 << 20;

    [Params("http://", "a:b", "Bearer ", "eyJaaaaaaaaaa.a.", "?token&key&", "SECRET_TOKEN_", "plain text, ")]
    public string Unit { get; set; } = "";

    private string _input = "";

    [GlobalSetup]
    public void Setup() => _input = string.Concat(Enumerable.Repeat(Unit, OneMegabyte / Unit.Length)) + " ghp_abcdefghijklmnopqrstuvwx1234";

    [Benchmark(Description = "SecretPatterns.Redact, 1 MB")]
    public string Redact() => SecretPatterns.Redact(_input);
}
