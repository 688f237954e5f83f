using Microsoft.Extensions.DependencyInjection;
using Reyn.Scheduling;

namespace Reyn.Runtime;

/// <summary>
/// The <see cref="IJobRunner"/> of <c>AddReyn</c>: runs the job's skill by name through <see cref="ReynRuntime"/>,
/// exactly as a direct <see cref="ReynRuntime.RunSkillAsync(string, object?, SkillRunOptions?, CancellationToken)"/>
/// would (same skill permissions, same capability profile, same events and WAL); the scheduler grants nothing extra.
/// A run that does not succeed throws <see cref="ScheduledSkillFailedException"/>, so the scheduler records it as
/// <c>error</c> with the run's status and reason.
/// </summary>
public sealed class RuntimeJobRunner : IJobRunner
{
    private readonly IServiceProvider _services;
    private ReynRuntime? _runtime;

    /// <summary>Creates the runner; the runtime is resolved on first use (it may depend on the scheduler).</summary>
    public RuntimeJobRunner(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
    }

    /// <inheritdoc />
    public async ValueTask RunAsync(CronJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var runtime = _runtime ??= _services.GetRequiredService<ReynRuntime>();
        if (!runtime.Skills.TryGet(job.Skill, out var skill))
        {
            throw new ScheduledSkillFailedException(
                $"cron job '{job.Name}' names skill '{job.Skill}', which is not registered (registered: {string.Join(", ", runtime.Skills.Names)}). Register it with services.AddReynSkill(...) or fix 'skill:' in the job.");
        }

        var input = job.Input.Count == 0 ? null : new Dictionary<string, object?>(job.Input, StringComparer.Ordinal);
        var result = await runtime.RunSkillAsync(skill, input, options: null, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new ScheduledSkillFailedException($"skill '{job.Skill}' run {result.RunId} ended {result.StatusName}: {result.Error}");
        }
    }
}
