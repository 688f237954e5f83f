using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Reyn.Samples.Quickstart;

/// <summary>
/// A deterministic, offline stand-in for a real model: it classifies the log lines it is shown by keywords and
/// answers with the JSON the skill asked for. Same input, same answer, no network, no key.
/// </summary>
internal sealed partial class OfflineTriageChatClient : IChatClient
{
    private static readonly (string Category, string Severity, string[] Keywords)[] Rules =
    [
        ("disk", "high", ["disk", "no space", "ENOSPC"]),
        ("database", "high", ["database", "deadlock", "connection pool"]),
        ("timeout", "medium", ["timeout", "timed out"]),
        ("auth", "medium", ["auth", "token", "401"]),
        ("other", "low", []),
    ];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last(m => m.Role == ChatRole.User).Text;
        var counts = new Dictionary<string, (string Severity, int Count, string Example)>();
        foreach (Match line in LogLine().Matches(prompt))
        {
            var text = line.Groups["text"].Value;
            var rule = Rules.First(r => r.Keywords.Length == 0 || r.Keywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase)));
            counts[rule.Category] = counts.TryGetValue(rule.Category, out var seen)
                ? (seen.Severity, seen.Count + 1, seen.Example)
                : (rule.Severity, 1, text.Trim());
        }

        var answer = new
        {
            categories = counts.OrderByDescending(c => c.Value.Count).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new { name = c.Key, severity = c.Value.Severity, count = c.Value.Count, example = c.Value.Example })
                .ToArray(),
            summary = counts.Count == 0 ? "No problems found." : $"{counts.Values.Sum(c => c.Count)} problem lines in {counts.Count} categories.",
        };
        var json = JsonSerializer.Serialize(answer);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, json))
        {
            ModelId = "offline-triage-1",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = prompt.Length / 4, OutputTokenCount = json.Length / 4, CachedInputTokenCount = 0 },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, "offline-triage-1") : null;

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^- (?<file>[^:]+):(?<line>\d+): (?<text>.*)$", RegexOptions.Multiline)]
    private static partial Regex LogLine();
}
