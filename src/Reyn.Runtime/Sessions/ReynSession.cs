using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Reyn.Events;

namespace Reyn.Runtime;

/// <summary>
/// A chat session: each <see cref="RunTurnAsync"/> is one turn (<c>turn_started</c> … <c>turn_completed</c>) that is
/// routed to a skill run or a plain chat reply. The end of a turn is the safe point where
/// <see cref="ITurnBoundaryHandler"/>s (hot reload, hooks) run. Turns of one session run one at a time.
/// </summary>
public sealed class ReynSession : IAsyncDisposable
{
    private readonly ReynRuntime _runtime;
    private readonly ITurnBoundaryHandler[] _boundaryHandlers;
    private readonly ITurnRouter _router;
    private readonly IChatClient? _chatClient;
    private readonly EventLog _events;
    private readonly List<ChatMessage> _history = [];
    private readonly SemaphoreSlim _turnGate = new(1, 1);
    private int _turn;
    private bool _disposed;

    internal ReynSession(ReynRuntime runtime, string sessionId, IEnumerable<ITurnBoundaryHandler> boundaryHandlers, ITurnRouter router, IChatClient? chatClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        _runtime = runtime;
        SessionId = sessionId;
        _boundaryHandlers = [.. boundaryHandlers];
        _router = router;
        _chatClient = chatClient;
        _events = runtime.Events.WithContext(runtime.Events.Context with { SessionId = sessionId });
        _events.Emit(EventTypes.ChatStarted, new EventData(2));
    }

    /// <summary>The session id.</summary>
    public string SessionId { get; }

    /// <summary>Turns run so far.</summary>
    public int TurnCount => Volatile.Read(ref _turn);

    /// <summary>Runs one turn for a user message.</summary>
    public async Task<TurnResult> RunTurnAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _turnGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var turn = Interlocked.Increment(ref _turn);
            var chainId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
            var turnLog = _events.WithContext(_events.Context with { ChainId = chainId });
            turnLog.Emit(EventTypes.TurnStarted, new EventData(3) { ["kind"] = "user", ["turn"] = turn });
            turnLog.Emit(EventTypes.UserMessageReceived, new EventData(3) { ["turn"] = turn, ["text_length"] = message.Length });

            TurnResult result;
            try
            {
                var route = await _router.RouteAsync(message, cancellationToken).ConfigureAwait(false);
                result = route.Skill is null
                    ? await ChatAsync(turnLog, message, turn, chainId, cancellationToken).ConfigureAwait(false)
                    : await RunSkillAsync(turnLog, route, turn, chainId, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                turnLog.Emit(EventTypes.TurnCompleted, new EventData(3) { ["turn"] = turn });
            }

            foreach (var handler in _boundaryHandlers)
            {
                try
                {
                    await handler.OnTurnBoundaryAsync(new TurnBoundary(SessionId, turn, chainId, result), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _runtime.Logger.LogWarning(ex, "Turn boundary handler {Handler} failed", handler.GetType().Name);
                }
            }

            return result;
        }
        finally
        {
            _turnGate.Release();
        }
    }

    private async Task<TurnResult> RunSkillAsync(EventLog turnLog, TurnRoute route, int turn, string chainId, CancellationToken cancellationToken)
    {
        if (!_runtime.Skills.TryGet(route.Skill!, out var skill))
        {
            var reason = $"No skill named '{route.Skill}' (registered: {string.Join(", ", _runtime.Skills.Names)}).";
            turnLog.Emit(EventTypes.SkillSpawnRefused, new EventData(3) { ["skill"] = route.Skill, ["reason"] = reason });
            return new TurnResult(turn, chainId, "refused", reason, null);
        }

        var runId = _runtime.NewRunId(skill.Name);
        turnLog.Emit(EventTypes.SkillRunSpawned, new EventData(3) { ["run_id"] = runId, ["skill"] = skill.Name });
        var run = await _runtime.RunSkillAsync(skill, route.Input, new SkillRunOptions { RunId = runId, SessionId = SessionId, ChainId = chainId }, cancellationToken).ConfigureAwait(false);
        return new TurnResult(turn, chainId, "skill", run.Succeeded ? run.Output.ToString() : $"{run.StatusName}: {run.Error}", run);
    }

    private async Task<TurnResult> ChatAsync(EventLog turnLog, string message, int turn, string chainId, CancellationToken cancellationToken)
    {
        var client = _chatClient ?? throw new InvalidOperationException("No IChatClient is registered, so a plain chat turn cannot be answered. Register one or route the turn to a skill (/run <skill>).");
        _history.Add(new ChatMessage(ChatRole.User, message));
        var model = _runtime.Options.DefaultModel ?? (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId ?? "default";

        // A chat turn is its own unit of audit: run_id = <session>.turn.<n>, skill = "chat".
        var chatLog = turnLog.WithContext(turnLog.Context with { RunId = string.Create(CultureInfo.InvariantCulture, $"{SessionId}.turn.{turn}"), Skill = "chat", Phase = "chat" });
        chatLog.Emit(EventTypes.ContextBuilt, new EventData(3) { ["message_count"] = _history.Count, ["input"] = message });
        chatLog.Emit(EventTypes.LlmCalled, new EventData(2) { ["model"] = model });
        var response = await client.GetResponseAsync(_history, new ChatOptions { ModelId = _runtime.Options.DefaultModel }, cancellationToken).ConfigureAwait(false);
        var prompt = response.Usage?.InputTokenCount ?? 0;
        var completion = response.Usage?.OutputTokenCount ?? 0;
        var cached = response.Usage?.CachedInputTokenCount ?? 0;
        var responseModel = response.ModelId ?? model;
        var priced = _runtime.Options.Prices.TryGet(responseModel, out var price);
        chatLog.Emit(EventTypes.LlmResponseReceived, new EventData(9)
        {
            ["model"] = responseModel,
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["cached_tokens"] = cached,
            ["cost_usd"] = priced ? price.Cost(prompt, completion, cached) : 0m,
            ["pricing"] = priced ? "table" : "unknown",
            ["usage_source"] = response.Usage is null ? "none" : "provider",
            ["response_type"] = "text",
            ["raw"] = response.Text,
        });
        _history.AddRange(response.Messages);
        return new TurnResult(turn, chainId, "chat", response.Text, null);
    }

    /// <summary>Emits <c>chat_stopped</c> and flushes events.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _events.Emit(EventTypes.ChatStopped, new EventData(2) { ["turns"] = _turn });
        await _events.Pipeline.FlushAsync().ConfigureAwait(false);
        _turnGate.Dispose();
    }
}
