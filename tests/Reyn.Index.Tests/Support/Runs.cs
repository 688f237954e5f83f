using Reyn.Testing.Events;

namespace Reyn.Index.Tests.Support;

/// <summary>Shorthands for generated runs.</summary>
public static class Runs
{
    public static readonly DateTimeOffset Day = new(2026, 5, 10, 9, 15, 0, TimeSpan.Zero);

    public static RunScript Success(string id, string skill = "my_skill", DateTimeOffset? start = null, string? version = null) => new()
    {
        RunId = id,
        Skill = skill,
        Start = start ?? Day,
        VersionHash = version ?? new string('a', 64),
    };

    public static RunScript Failure(string id, string skill = "my_skill", string phase = "verify", string error = "test execution timeout", DateTimeOffset? start = null, string? version = null) => new()
    {
        RunId = id,
        Skill = skill,
        Start = start ?? Day,
        Status = "failed",
        FailingPhase = phase,
        Error = error,
        VersionHash = version ?? new string('a', 64),
    };
}
