using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Reyn.Events;
using Reyn.Runtime.Hooks;
using Reyn.Runtime.HotReload;

namespace Reyn.Runtime;

/// <summary>
/// A chat session: each <see cref="RunTurnAsync"/> is one turn (<c>turn_started</c> … <c>turn_completed</c>) that is
/// routed to a skill run or a plain chat reply. The end of a turn is the safe point where
/// <see cref="ITurnBoundaryHandler"/>s run. Turns of one session run one at a time.
/// </summary>
/// <remarks>
/// With hot reload wired (<c>AddReyn</c> does by default), the session dispatches hooks at the points it owns
/// (<c>session_start</c>, <c>turn_start</c>, <c>skill_start</c>, <c>skill_end</c>, <c>turn_end</c>, <c>session_end</c>)
/// and, after <c>turn_completed</c> and the <c>turn_end</c> hooks, applies a pending reload
/// (<see cref="HotReloader.ApplyPendingAsync"/>): a turn keeps the IN-set snapshot it started with, the next turn sees
/// the new one. A <c>wake: true</c> push starts a new hook-driven turn right after the boundary, bounded by the valve
/// <see cref="ReynOptions.MaxHookDrivenTurns"/>; other pushes ride along with the next turn.
/// </remarks>
public sealed class ReynSession : IAsyncDisposable, IDisposable
{
    private readonly ReynRuntime _runtime;
    private readonly ITurnBoundaryHandler[] _boundaryHandlers;
    private readonly ITurnRouter _router;
    private readonly IChatClient? _chatClient;
    private readonly EventLog _events;
    private readonly List<ChatMessage> _history = [];
    private readonly SemaphoreSlim _turnGate = new(1, 1);
    private readonly SessionHotReload? _hotReload;
    private readonly Queue<HookPush> _wake = new();
    private readonly List<HookPush> _rideAlong = [];
    private readonly List<TurnResult> _hookTurns = [];
    private IReadOnlyList<HookPush> _lastRideAlong = [];
    private int _turn;
    private bool _disposed;

    internal ReynSession(ReynRuntime runtime, string sessionId, IEnumerable<ITurnBoundaryHandler> boundaryHandlers, ITurnRouter router, IChatClient? chatClient, SessionHotReload? hotReload = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        _runtime = runtime;
        SessionId = sessionId;
        _boundaryHandlers = [.. boundaryHandlers];
        _router = router;
        _chatClient = chatClient;
        _events = runtime.Events.WithContext(runtime.Events.Context with { SessionId = sessionId });
        _hotReload = hotReload;
        _events.Emit(EventTypes.ChatStarted, new EventData(2));
        DispatchHooks(HookPoint.SessionStart, new Dictionary<string, object?> { ["session_id"] = sessionId });
    }

    /// <summary>The hot-reload and hook machinery of this session; <see langword="null"/> when hot reload is off.</summary>
    public SessionHotReload? HotReload => _hotReload;

    /// <summary>The IN-set snapshot of the current (or last) turn; <see langword="null"/> when hot reload is off.</summary>
    public InSetSnapshot? TurnConfig { get; private set; }

    /// <summary>The turns started by <c>wake: true</c> hook pushes during the last <see cref="RunTurnAsync"/> call.</summary>
    public IReadOnlyList<TurnResult> HookDrivenTurns => [.. _hookTurns];

    /// <summary>The ride-along hook pushes delivered with the last turn (for a chat turn they were added to the model's context).</summary>
    public IReadOnlyList<HookPush> LastTurnHookPushes => _lastRideAlong;

    /// <summary>
    /// Operator trigger (<c>/reload</c>): schedules a reload of the IN-set with source <c>operator</c>. Nothing changes
    /// now: the reload applies at the next turn boundary (after <c>turn_completed</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Hot reload is off (<see cref="ReynOptions.HotReload"/>).</exception>
    public void RequestReload()
    {
        var hotReload = _hotReload ?? throw new InvalidOperationException("Hot reload is off for this host: set ReynOptions.HotReload = true (the default) in AddReyn to reload .reyn/{mcp,cron,hooks}.yaml at turn boundaries.");
        hotReload.Reloader.RequestReload(ReloadSources.Operator);
    }

    /// <summary>The session id.</summary>
    public string SessionId { get; }

    /// <summary>Turns run so far.</summary>
    public int TurnCount => Volatile.Read(ref _turn);

    /// <summary>
    /// Runs one turn for a user message, then any turns that <c>wake: true</c> hooks start (see
    /// <see cref="HookDrivenTurns"/>). Returns the user's turn.
    /// </summary>
    public async Task<TurnResult> RunTurnAsync(string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _turnGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _hookTurns.Clear();
            var result = await RunOneTurnAsync(message, hookDriven: false, cancellationToken).ConfigureAwait(false);
            while (_wake.TryDequeue(out var push))
            {
                TurnResult hookTurn;
                try
                {
                    hookTurn = await RunOneTurnAsync(push.Text, hookDriven: true, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _runtime.Logger.LogWarning(ex, "Hook-driven turn for {Hook} failed; the wake loop stops here.", push.Name ?? "(unnamed)");
                    _wake.Clear();
                    break;
                }

                _hookTurns.Add(hookTurn);
            }

            return result;
        }
        finally
        {
            _turnGate.Release();
        }
    }

    private async Task<TurnResult> RunOneTurnAsync(string message, bool hookDriven, CancellationToken cancellationToken)
    {
        var turn = Interlocked.Increment(ref _turn);
        var kind = hookDriven ? "hook" : "user";
        var chainId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));
        var turnLog = _events.WithContext(_events.Context with { ChainId = chainId });
        if (_hotReload is { } hotReload)
        {
            hotReload.Dispatcher.BeginTurn(hookDriven);
            TurnConfig = hotReload.Reloader.Current;
        }

        _lastRideAlong = [.. _rideAlong];
        _rideAlong.Clear();
        turnLog.Emit(EventTypes.TurnStarted, new EventData(3) { ["kind"] = kind, ["turn"] = turn });
        turnLog.Emit(EventTypes.UserMessageReceived, new EventData(3) { ["turn"] = turn, ["text_length"] = message.Length });
        DispatchHooks(HookPoint.TurnStart, new Dictionary<string, object?> { ["session_id"] = SessionId, ["turn"] = turn, ["kind"] = kind, ["message"] = message });

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

        // The turn boundary: turn_end hooks, then the pending reload (1 turn = 1 config snapshot), then handlers.
        DispatchHooks(HookPoint.TurnEnd, new Dictionary<string, object?> { ["session_id"] = SessionId, ["turn"] = turn, ["kind"] = kind, ["status"] = result.Kind });
        if (_hotReload is { } reload)
        {
            try
            {
                await reload.Reloader.ApplyPendingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _runtime.Logger.LogWarning(ex, "Applying the pending reload failed; the live config is unchanged.");
            }
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

    private void DispatchHooks(HookPoint point, Dictionary<string, object?> context)
    {
        if (_hotReload is null)
        {
            return;
        }

        HookDispatch dispatch;
        try
        {
            dispatch = _hotReload.Dispatcher.Dispatch(point, context, _runtime.Options.Agent);
        }
        catch (Exception ex)
        {
            _runtime.Logger.LogWarning(ex, "Hook dispatch at {Point} failed", point.ToName());
            return;
        }

        foreach (var push in dispatch.Wake)
        {
            _wake.Enqueue(push);
        }

        _rideAlong.AddRange(dispatch.RideAlong);
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
        DispatchHooks(HookPoint.SkillStart, new Dictionary<string, object?> { ["session_id"] = SessionId, ["turn"] = turn, ["skill"] = skill.Name, ["run_id"] = runId });
        var run = await _runtime.RunSkillAsync(skill, route.Input, new SkillRunOptions { RunId = runId, SessionId = SessionId, ChainId = chainId }, cancellationToken).ConfigureAwait(false);
        DispatchHooks(HookPoint.SkillEnd, new Dictionary<string, object?> { ["session_id"] = SessionId, ["turn"] = turn, ["skill"] = skill.Name, ["run_id"] = runId, ["status"] = run.StatusName, ["error"] = run.Error });
        return new TurnResult(turn, chainId, "skill", run.Succeeded ? run.Output.ToString() : $"{run.StatusName}: {run.Error}", run);
    }

    private async Task<TurnResult> ChatAsync(EventLog turnLog, string message, int turn, string chainId, CancellationToken cancellationToken)
    {
        var client = _chatClient ?? throw new InvalidOperationException("No IChatClient is registered, so a plain chat turn cannot be answered. Register one or route the turn to a skill (/run <skill>).");
        foreach (var push in _lastRideAlong)
        {
            _history.Add(new ChatMessage(ChatRole.User, push.Text));
        }

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

    /// <summary>Emits <c>chat_stopped</c> and flushes events, blocking until they are flushed; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Emits <c>chat_stopped</c> and flushes events.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DispatchHooks(HookPoint.SessionEnd, new Dictionary<string, object?> { ["session_id"] = SessionId, ["turns"] = _turn });
        _events.Emit(EventTypes.ChatStopped, new EventData(2) { ["turns"] = _turn });
        await _events.Pipeline.FlushAsync().ConfigureAwait(false);
        _turnGate.Dispose();
    }
}
