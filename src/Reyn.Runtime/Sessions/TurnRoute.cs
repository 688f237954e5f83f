namespace Reyn.Runtime;

/// <summary>Where a turn goes: a skill run or a plain chat reply.</summary>
public sealed class TurnRoute
{
    private TurnRoute(string? skill, object? input)
    {
        Skill = skill;
        Input = input;
    }

    /// <summary>Reply with the chat model.</summary>
    public static TurnRoute Chat { get; } = new(null, null);

    /// <summary>The skill to run, or <see langword="null"/> for a chat reply.</summary>
    public string? Skill { get; }

    /// <summary>The run's input artifact.</summary>
    public object? Input { get; }

    /// <summary>Run <paramref name="skill"/> with <paramref name="input"/>.</summary>
    public static TurnRoute RunSkill(string skill, object? input = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(skill);
        return new(skill, input);
    }
}

/// <summary>Decides where a turn goes. Register one in DI to replace the default (<c>/run &lt;skill&gt; [input]</c> runs a skill; anything else is chat).</summary>
public interface ITurnRouter
{
    /// <summary>Routes one user message.</summary>
    ValueTask<TurnRoute> RouteAsync(string message, CancellationToken cancellationToken);
}

/// <summary>Runs at the turn boundary, the safe point where hot reload and hooks apply changes. Register in DI.</summary>
public interface ITurnBoundaryHandler
{
    /// <summary>Called after <c>turn_completed</c>, in registration order; an exception is logged and does not affect other handlers or the session.</summary>
    ValueTask OnTurnBoundaryAsync(TurnBoundary boundary, CancellationToken cancellationToken);
}

/// <summary>The turn that just ended.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Turn">The turn number, from 1.</param>
/// <param name="ChainId">The turn's chain id.</param>
/// <param name="Result">What the turn did.</param>
public sealed record TurnBoundary(string SessionId, int Turn, string ChainId, TurnResult Result);

/// <summary>What a turn did.</summary>
/// <param name="Turn">The turn number, from 1.</param>
/// <param name="ChainId">The chain id that ties the turn's events together.</param>
/// <param name="Kind"><c>skill</c>, <c>chat</c> or <c>refused</c>.</param>
/// <param name="Reply">The text reply (chat), the run's output JSON (skill), or why the skill was refused.</param>
/// <param name="Run">The skill run, for skill turns.</param>
public sealed record TurnResult(int Turn, string ChainId, string Kind, string Reply, SkillRunResult? Run);
