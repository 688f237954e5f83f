namespace Reyn.Runtime.Hooks;

/// <summary>Wire names of <see cref="HookPoint"/> (<c>turn_start</c>, <c>turn_end</c>, ...).</summary>
public static class HookPoints
{
    private static readonly string[] Names =
        ["turn_start", "turn_end", "session_start", "session_end", "skill_start", "skill_end", "task_start", "task_end"];

    /// <summary>The eight names, in <see cref="HookPoint"/> order.</summary>
    public static IReadOnlyList<string> All => Names;

    /// <summary>The wire name of <paramref name="point"/>.</summary>
    public static string ToName(this HookPoint point) =>
        (uint)point < (uint)Names.Length ? Names[(int)point] : throw new ArgumentOutOfRangeException(nameof(point), point, "Not a hook point.");

    /// <summary>Parses a wire name (exact, lower case).</summary>
    public static bool TryParse(string? name, out HookPoint point)
    {
        var index = Array.IndexOf(Names, name);
        point = index < 0 ? default : (HookPoint)index;
        return index >= 0;
    }
}
