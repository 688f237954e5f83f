using Microsoft.Extensions.AI;

namespace Reyn.Runtime.Tests.Support;

/// <summary>
/// A deterministic offline <see cref="IChatClient"/>: answers from a script (a queue of replies, then a responder
/// function), reports fixed usage, and records every call it receives.
/// </summary>
public sealed class FakeChatClient : IChatClient
{
    private readonly Queue<string> _script = new();
    private readonly Lock _gate = new();

    public FakeChatClient(params string[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>Answers when the script is empty.</summary>
    public Func<IReadOnlyList<ChatMessage>, string> Responder { get; set; } = messages => "ok: " + messages[^1].Text;

    public string ModelId { get; set; } = "fake-model";

    public long InputTokens { get; set; } = 100;

    public long OutputTokens { get; set; } = 20;

    public long CachedTokens { get; set; } = 40;

    public List<IReadOnlyList<ChatMessage>> Calls { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages.ToList();
        string text;
        lock (_gate)
        {
            Calls.Add(list);
            Options.Add(options);
            text = _script.Count > 0 ? _script.Dequeue() : Responder(list);
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, CachedInputTokenCount = CachedTokens, TotalTokenCount = InputTokens + OutputTokens },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The fake client does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", null, ModelId) : null;

    public void Dispose()
    {
    }
}
