using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reyn.Events;
using Reyn.Runtime.Hooks.Internal;

namespace Reyn.Runtime.Hooks;

/// <summary>
/// Fires the hooks of one session: given a lifecycle point and its event context, returns the pushes to deliver
/// (wake vs ride-along), emits <c>hook_fired</c> per push, and enforces the wake-loop valve
/// (<see cref="HookDispatcherOptions.MaxHookDrivenTurns"/>).
/// </summary>
/// <remarks>
/// The session tells the dispatcher how each turn started (<see cref="BeginTurn"/>): a turn started by a hook push
/// increments <see cref="HookDrivenTurns"/>, any other turn resets it to 0. While the count has reached the limit, a
/// <c>wake: true</c> push is delivered as a ride-along instead (nothing is lost, the loop stops). The registry is
/// swapped atomically by the <c>hooks</c> reload seam; a dispatch in progress keeps the registry it started with.
/// </remarks>
public sealed class HookDispatcher
{
    private readonly EventLog _events;
    private readonly ILogger _logger;
    private HookRegistry _registry;
    private int _hookDrivenTurns;

    /// <summary>Creates a dispatcher.</summary>
    public HookDispatcher(HookRegistry registry, EventLog events, HookDispatcherOptions? options = null, ILogger<HookDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(events);
        options ??= new HookDispatcherOptions();
        options.Validate();
        _registry = registry;
        _events = events;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        MaxHookDrivenTurns = options.MaxHookDrivenTurns;
    }

    /// <summary>The registry in use.</summary>
    public HookRegistry Registry => Volatile.Read(ref _registry);

    /// <summary>The valve: how many hook-driven turns may follow each other.</summary>
    public int MaxHookDrivenTurns { get; }

    /// <summary>Hook-driven turns since the last turn of another origin. Settable so a restored session keeps its count.</summary>
    public int HookDrivenTurns
    {
        get => Volatile.Read(ref _hookDrivenTurns);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _hookDrivenTurns, value);
        }
    }

    /// <summary>Swaps in a new registry; returns whether its hooks differ from the current ones.</summary>
    public bool ReplaceRegistry(HookRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var previous = Interlocked.Exchange(ref _registry, registry);
        return !previous.Hooks.Select(Identity).SequenceEqual(registry.Hooks.Select(Identity));
    }

    /// <summary>Records how a turn started: <paramref name="hookDriven"/> = started by a wake push.</summary>
    public void BeginTurn(bool hookDriven)
    {
        if (hookDriven)
        {
            Interlocked.Increment(ref _hookDrivenTurns);
        }
        else
        {
            Volatile.Write(ref _hookDrivenTurns, 0);
        }
    }

    /// <summary>
    /// Fires every hook registered for <paramref name="point"/> (global hooks and those of <paramref name="agent"/>).
    /// Never throws because of a hook: a template that fails to render is skipped with a warning.
    /// </summary>
    /// <param name="point">The lifecycle point.</param>
    /// <param name="context">The event context the templates see (for example <c>skill</c>, <c>status</c>, <c>turn</c>);
    /// <c>on</c> and <c>agent</c> are added.</param>
    /// <param name="agent">The agent the event belongs to; per-agent hooks of other agents are ignored.</param>
    public HookDispatch Dispatch(HookPoint point, IReadOnlyDictionary<string, object?>? context = null, string? agent = null)
    {
        var registry = Registry;
        List<HookPush>? wake = null;
        List<HookPush>? rideAlong = null;
        Dictionary<string, object?>? model = null;
        var valveClosed = false;
        foreach (var hook in registry.Hooks)
        {
            if (hook.Definition.On != point || (hook.Agent is not null && !string.Equals(hook.Agent, agent, StringComparison.Ordinal)))
            {
                continue;
            }

            model ??= BuildModel(point, context, agent);
            string message;
            try
            {
                if (hook.PushWhenTemplate is { } guard && !HookTemplates.IsTruthy(guard(model) ?? string.Empty))
                {
                    continue;
                }

                message = hook.MessageTemplate(model) ?? string.Empty;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Hook {Hook} on {On} from {Source} failed to render and was skipped.", hook.Definition.Name ?? "(unnamed)", point.ToName(), hook.Source);
                continue;
            }

            var wakes = hook.Definition.Wake;
            var held = false;
            if (wakes && HookDrivenTurns >= MaxHookDrivenTurns)
            {
                wakes = false;
                held = true;
                valveClosed = true;
            }

            var push = new HookPush(point, hook.Definition.Name, message, wakes, held);
            (wakes ? wake ??= [] : rideAlong ??= []).Add(push);
            Emit(push, hook, agent);
        }

        return wake is null && rideAlong is null ? HookDispatch.None : new HookDispatch(wake ?? [], rideAlong ?? [], valveClosed);
    }

    private void Emit(HookPush push, RegisteredHook hook, string? agent)
    {
        var data = new EventData(8)
        {
            { "on", push.On.ToName() },
            { "name", push.Name },
            { "wake", push.Wake },
            { "layer", hook.Layer switch { HookLayerKind.Startup => "startup", HookLayerKind.Runtime => "runtime", _ => "agent" } },
            { "message", push.Message },
        };
        if (agent is not null)
        {
            data.Add(EventFields.Agent, agent);
        }

        if (push.ValveClosed)
        {
            data.Add("valve_closed", true);
            data.Add("hook_driven_turns", HookDrivenTurns);
            data.Add(EventFields.Level, "warn");
        }

        _events.Emit(EventTypes.HookFired, data);
    }

    private static Dictionary<string, object?> BuildModel(HookPoint point, IReadOnlyDictionary<string, object?>? context, string? agent)
    {
        var model = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (context is not null)
        {
            foreach (var (key, value) in context)
            {
                model[key] = value;
            }
        }

        model.TryAdd("on", point.ToName());
        if (agent is not null)
        {
            model.TryAdd("agent", agent);
        }

        return model;
    }

    private static (HookDefinition, string?) Identity(RegisteredHook hook) => (hook.Definition, hook.Agent);
}
