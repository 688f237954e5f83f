namespace Reyn.Runtime.Internal;

/// <summary><c>/run &lt;skill&gt; [input]</c> (or <c>/&lt;skill&gt; [input]</c> for a registered skill) runs a skill; anything else is chat.</summary>
internal sealed class DefaultTurnRouter(SkillRegistry skills) : ITurnRouter
{
    public ValueTask<TurnRoute> RouteAsync(string message, CancellationToken cancellationToken)
    {
        var text = message.Trim();
        if (!text.StartsWith('/'))
        {
            return ValueTask.FromResult(TurnRoute.Chat);
        }

        var parts = text[1..].Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return ValueTask.FromResult(TurnRoute.Chat);
        }

        if (parts[0] == "run")
        {
            var rest = parts.Length > 1 ? parts[1].Split(' ', 2, StringSplitOptions.TrimEntries) : [];
            return rest.Length == 0 || rest[0].Length == 0
                ? ValueTask.FromResult(TurnRoute.Chat)
                : ValueTask.FromResult(TurnRoute.RunSkill(rest[0], rest.Length > 1 ? rest[1] : null));
        }

        return skills.TryGet(parts[0], out _)
            ? ValueTask.FromResult(TurnRoute.RunSkill(parts[0], parts.Length > 1 ? parts[1] : null))
            : ValueTask.FromResult(TurnRoute.Chat);
    }
}
