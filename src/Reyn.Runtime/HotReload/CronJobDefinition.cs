namespace Reyn.Runtime.HotReload;

/// <summary>
/// One cron job as written in <c>.reyn/cron.yaml</c> (or in <c>reyn.yaml</c> for startup jobs). Exactly one shape:
/// message (<see cref="To"/> + <see cref="Message"/>) or skill (<see cref="Skill"/>).
/// </summary>
/// <param name="Name">Unique job name; jobs are added, replaced and removed by name.</param>
/// <param name="Schedule">A five-field cron expression, evaluated in UTC.</param>
/// <param name="To">Message shape: the agent the message is pushed to.</param>
/// <param name="Message">Message shape: the text pushed to <paramref name="To"/>.</param>
/// <param name="Skill">Skill shape: the skill run headless.</param>
/// <param name="Notify">Optional notification channel for failures (message shape).</param>
/// <param name="Enabled">Whether the job fires; default <see langword="true"/>.</param>
public sealed record CronJobDefinition(
    string Name,
    string Schedule,
    string? To = null,
    string? Message = null,
    string? Skill = null,
    string? Notify = null,
    bool Enabled = true);
