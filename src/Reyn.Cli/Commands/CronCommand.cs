using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reyn.Cli.Commands.Cron;
using Reyn.Cli.Infrastructure;
using Reyn.Events;
using Reyn.Scheduling;

namespace Reyn.Cli.Commands;

/// <summary>
/// <c>reyn cron list|status|run</c>: the jobs of <c>reyn.yaml</c> and <c>.reyn/cron.yaml</c> (which overrides by name),
/// their persisted status (<c>.reyn/state/cron_status.json</c>), and a foreground scheduler.
/// </summary>
internal static class CronCommand
{
    public static Command Create(CliContext context)
    {
        var cron = new Command("cron", "Scheduled skill runs: list jobs, show their last run, or run the scheduler in the foreground.");
        cron.Subcommands.Add(CreateList(context));
        cron.Subcommands.Add(CreateStatus(context));
        cron.Subcommands.Add(CreateRun(context));
        return cron;
    }

    private static Command CreateList(CliContext context)
    {
        var json = JsonOption();
        var list = new Command("list", "Show configured jobs: schedule, zone, next run, and why a job is disabled.");
        list.Options.Add(json);
        list.SetAction(parseResult => Guard(context, () =>
        {
            var project = CronProject.Load(context.ResolveRoot(parseResult));
            var now = TimeProvider.System.GetUtcNow();
            var states = project.Effective.Select(job => CronJobState.Evaluate(job, now)).ToList();
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, writer =>
                {
                    writer.WriteStartArray("jobs");
                    foreach (var state in states)
                    {
                        var job = state.Job;
                        writer.WriteStartObject();
                        writer.WriteString("name", job.Name);
                        writer.WriteString("skill", job.Skill);
                        writer.WriteString("schedule", job.Schedule);
                        writer.WriteString("time_zone", job.TimeZone.Id);
                        writer.WriteBoolean("enabled", state.IsActive);
                        writer.WriteString("disabled_reason", state.DisabledReason);
                        WriteTime(writer, "next_run_at", state.NextRunAt);
                        writer.WriteString("misfire", job.Misfire == MisfirePolicy.RunOnce ? "run_once" : "skip");
                        writer.WriteString("origin", job.Origin == CronJobOrigin.Runtime ? "runtime" : "startup");
                        writer.WriteString("source", project.Sources[job.Name]);
                        writer.WritePropertyName("input");
                        JsonSerializer.Serialize(writer, job.Input);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            if (states.Count == 0)
            {
                context.Out.WriteLine(project.NoJobsMessage);
                return ExitCodes.Success;
            }

            var rows = states.Select(s => new[]
            {
                s.Job.Name, s.Job.Skill, s.Job.Schedule, s.Job.TimeZone.Id, s.IsActive ? "true" : "false",
                Time(s.NextRunAt), s.DisabledReason ?? "-",
            });
            WriteTable(context.Out, ["NAME", "SKILL", "SCHEDULE", "ZONE", "ENABLED", "NEXT RUN", "REASON"], rows);
            return ExitCodes.Success;
        }));
        return list;
    }

    private static Command CreateStatus(CliContext context)
    {
        var json = JsonOption();
        var status = new Command("status", "Show each job's last run, status, duration and error (persisted across restarts).");
        status.Options.Add(json);
        status.SetAction(parseResult => Guard(context, () =>
        {
            var root = context.ResolveRoot(parseResult);
            var project = CronProject.Load(root);
            var store = CronStatusStore.ForRoot(root);
            if (!store.TryLoad(out var statuses, out var error))
            {
                context.Error.WriteLine("error: " + error);
                return ExitCodes.Failure;
            }

            var now = TimeProvider.System.GetUtcNow();
            var rows = project.Effective
                .Select(job => (State: CronJobState.Evaluate(job, now), Status: statuses.GetValueOrDefault(job.Name) ?? new CronJobStatus()))
                .ToList();
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, writer =>
                {
                    writer.WriteStartArray("jobs");
                    foreach (var (state, s) in rows)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", state.Job.Name);
                        writer.WriteString("skill", state.Job.Skill);
                        writer.WriteBoolean("enabled", state.IsActive);
                        WriteTime(writer, "last_run_at", s.LastRunAt);
                        writer.WriteString("last_status", s.LastStatus);
                        if (s.LastDuration is { } duration)
                        {
                            writer.WriteNumber("last_duration_ms", Math.Round(duration.TotalMilliseconds, 3));
                        }
                        else
                        {
                            writer.WriteNull("last_duration_ms");
                        }

                        writer.WriteString("last_error", s.LastError);
                        WriteTime(writer, "next_run_at", state.NextRunAt);
                        writer.WriteNumber("skipped_count", s.SkippedCount);
                        WriteTime(writer, "last_skipped_at", s.LastSkippedAt);
                        writer.WriteString("last_skip_reason", s.LastSkipReason);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
                return ExitCodes.Success;
            }

            if (rows.Count == 0)
            {
                context.Out.WriteLine(project.NoJobsMessage);
                return ExitCodes.Success;
            }

            WriteTable(
                context.Out,
                ["NAME", "ENABLED", "LAST RUN", "STATUS", "DURATION", "NEXT RUN", "SKIPPED", "ERROR"],
                rows.Select(r => new[]
                {
                    r.State.Job.Name, r.State.IsActive ? "true" : "false", Time(r.Status.LastRunAt), r.Status.LastStatus ?? "-",
                    r.Status.LastDuration is { } d ? d.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms" : "-",
                    Time(r.State.NextRunAt), r.Status.SkippedCount.ToString(CultureInfo.InvariantCulture), r.Status.LastError ?? "-",
                }));
            return ExitCodes.Success;
        }));
        return status;
    }

    private static Command CreateRun(CliContext context)
    {
        var run = new Command("run", "Run the scheduler in the foreground until Ctrl+C; status goes to .reyn/state/cron_status.json.");
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            CronProject project;
            CronJobRunnerFactory.RuntimeHostJobRunner runner;
            try
            {
                project = CronProject.Load(context.ResolveRoot(parseResult));
                if (project.Effective.Count == 0)
                {
                    await context.Out.WriteLineAsync("No jobs configured.  Add jobs under cron.jobs in reyn.yaml or .reyn/cron.yaml.").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                runner = CronJobRunnerFactory.Create(project.Root);
            }
            catch (CliUserException ex)
            {
                await context.Error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.UserError;
            }

            await using var runtimeHost = runner;

            var pipeline = new EventPipeline();
            pipeline.AddSink(new ConsoleEventSink(context.Out));
            await using var scheduler = new CronScheduler(
                runner,
                new EventLog(pipeline, new EventContext(Agent: "reyn/cron")),
                TimeProvider.System,
                CronStatusStore.ForRoot(project.Root));
            foreach (var job in project.Configured)
            {
                scheduler.AddOrReplace(job);
            }

            await scheduler.StartAsync(cancellationToken).ConfigureAwait(false);
            var states = scheduler.GetJobs();
            var lines = new List<string> { $"Started cron scheduler with {states.Count(s => s.IsActive)} enabled job(s):" };
            foreach (var state in states)
            {
                lines.Add(state.IsActive
                    ? $"  • {state.Job.Name}  ({state.Job.Schedule}, {state.Job.TimeZone.Id})  next: {Time(state.NextRunAt)}"
                    : $"  • {state.Job.Name}  disabled: {state.DisabledReason}");
            }

            lines.Add("Press Ctrl+C to stop.");
            lock (context.Out)
            {
                foreach (var line in lines)
                {
                    context.Out.WriteLine(line);
                }

                context.Out.Flush();
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await scheduler.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await context.Out.WriteLineAsync("Cron scheduler stopped.").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return run;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Write one JSON object (with \"version\": 1) instead of a table." };

    private static int Guard(CliContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliUserException ex)
        {
            context.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.UserError;
        }
    }

    private static string Time(DateTimeOffset? value) =>
        value is { } time ? time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTable(TextWriter output, string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.ToList();
        var widths = new int[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            widths[i] = Math.Max(headers[i].Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length));
        }

        void Line(string[] cells)
        {
            var parts = new string[cells.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                parts[i] = i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]);
            }

            output.WriteLine(string.Join("  ", parts).TrimEnd());
        }

        Line(headers);
        foreach (var row in all)
        {
            Line(row);
        }
    }
}
