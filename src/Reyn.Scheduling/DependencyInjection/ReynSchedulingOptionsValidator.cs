using Microsoft.Extensions.Options;

namespace Reyn.Scheduling;

/// <summary>Checks <see cref="ReynSchedulingOptions"/> when the host starts; each failure says what is wrong and how to fix it.</summary>
internal sealed class ReynSchedulingOptionsValidator : IValidateOptions<ReynSchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, ReynSchedulingOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.RootDirectory))
        {
            failures.Add("ReynSchedulingOptions.RootDirectory must name a directory (for example \".reyn\").");
        }

        var seen = new HashSet<(string, CronJobOrigin)>();
        for (var i = 0; i < options.Jobs.Count; i++)
        {
            var job = options.Jobs[i];
            if (job is null)
            {
                failures.Add($"ReynSchedulingOptions.Jobs[{i}] is null; remove it.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(job.Name))
            {
                failures.Add($"ReynSchedulingOptions.Jobs[{i}] has no name; give every job a unique name.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(job.Skill))
            {
                failures.Add($"Cron job '{job.Name}' has no skill; set Skill to the skill it runs (for example \"index_events\").");
            }

            if (job.Schedule is null)
            {
                failures.Add($"Cron job '{job.Name}' has no schedule; set Schedule to a cron expression (for example \"0 */6 * * *\").");
            }

            if (job.TimeZone is null || job.Input is null)
            {
                failures.Add($"Cron job '{job.Name}' has a null TimeZone or Input; leave them unset for UTC and no input.");
            }

            if (!seen.Add((job.Name, job.Origin)))
            {
                failures.Add($"Cron job name '{job.Name}' is used twice with origin {job.Origin}; job names must be unique.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
