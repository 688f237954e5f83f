using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reyn.Cli.Infrastructure;
using Reyn.State;

namespace Reyn.Cli.Commands;

/// <summary><c>reyn state wal|verify|repair|reset</c>: inspect and maintain the WAL and the in-flight state.</summary>
internal static class StateCommand
{
    public static Command Create(CliContext context)
    {
        var state = new Command("state", "Inspect and maintain the write-ahead log (.reyn/state/wal.jsonl) and in-flight state.");
        state.Subcommands.Add(CreateWal(context));
        state.Subcommands.Add(CreateVerify(context));
        state.Subcommands.Add(CreateRepair(context));
        state.Subcommands.Add(CreateReset(context));
        return state;
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print machine-readable JSON (\"version\": 1)." };

    private static Command CreateWal(CliContext context)
    {
        var from = new Option<long>("--from") { Description = "Print records with seq >= SEQ (default 1).", DefaultValueFactory = _ => 1 };
        var json = JsonOption();
        var command = new Command("wal", "Print the WAL records in seq order (read-only; works while a process writes).") { from, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = context.ResolveRoot(parseResult);
            var fromSeq = parseResult.GetValue(from);
            if (fromSeq < 0)
            {
                throw new CliUserException($"--from must be a seq >= 0 (got {fromSeq}).");
            }

            var path = new StatePaths(root).Wal;
            var problems = new List<WalProblem>();
            var records = new List<WalRecord>();
            await foreach (var record in WalFileReader.ReadAsync(path, fromSeq, problems.Add, cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteString("path", path);
                    w.WriteStartArray("records");
                    foreach (var record in records)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("seq", record.Seq);
                        w.WriteString("ts", record.Timestamp.UtcDateTime); // UTC with Z, as the WAL line has it
                        w.WriteString("kind", record.Kind);
                        w.WritePropertyName("fields");
                        record.Fields.WriteTo(w);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    WriteProblems(w, problems);
                });
            }
            else
            {
                if (records.Count == 0)
                {
                    await context.Out.WriteLineAsync(File.Exists(path) ? $"No records with seq >= {fromSeq} in {path}." : $"No WAL at {path} (nothing recorded yet).").ConfigureAwait(false);
                }

                foreach (var record in records)
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{record.Seq,8}  {record.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}  {record.Kind,-28}  {record.Fields.GetRawText()}")).ConfigureAwait(false);
                }
            }

            foreach (var problem in problems)
            {
                await context.Error.WriteLineAsync($"warning: skipped bad bytes at offset {problem.Offset} ({problem.Length} bytes): {problem.Description}. Run 'reyn state verify'.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateVerify(CliContext context)
    {
        var json = JsonOption();
        var command = new Command("verify", "Check every WAL record (frame, CRC32C, seq order) and report problems with byte offsets. Exit 1 when any is found.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = new StatePaths(context.ResolveRoot(parseResult)).Wal;
            var report = WalMaintenance.Verify(path);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteString("path", path);
                    w.WriteBoolean("exists", report.Exists);
                    w.WriteBoolean("healthy", report.IsHealthy);
                    w.WriteBoolean("needs_repair", report.NeedsRepair);
                    w.WriteNumber("bytes", report.Bytes);
                    w.WriteNumber("records", report.ValidRecords);
                    w.WriteNumber("first_seq", report.FirstSeq);
                    w.WriteNumber("last_seq", report.LastSeq);
                    WriteProblems(w, report.Problems);
                });
            }
            else
            {
                await context.Out.WriteLineAsync(report.Exists
                    ? $"{path}: {report.ValidRecords} valid records (seq {report.FirstSeq}..{report.LastSeq}), {report.Bytes} bytes."
                    : $"No WAL at {path} (nothing recorded yet).").ConfigureAwait(false);
                foreach (var problem in report.Problems)
                {
                    await context.Out.WriteLineAsync($"  bad record at byte offset {problem.Offset} ({problem.Length} bytes): {problem.Description}").ConfigureAwait(false);
                }

                if (report.NeedsRepair)
                {
                    await context.Out.WriteLineAsync("A corrupt record is followed by valid ones: the log will not open. Run 'reyn state repair' to keep every valid record (bad bytes are moved aside).").ConfigureAwait(false);
                }
                else if (!report.IsHealthy)
                {
                    await context.Out.WriteLineAsync("Only the tail is bad (a torn write): the next open cuts it and keeps the bytes aside, or run 'reyn state repair' now.").ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync("OK").ConfigureAwait(false);
                }
            }

            return report.IsHealthy ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command CreateRepair(CliContext context)
    {
        var json = JsonOption();
        var command = new Command("repair", "Rewrite the WAL keeping every valid record; bad bytes go to a dated wal.jsonl.corrupt-* file. Refuses while a process has the log open.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = new StatePaths(context.ResolveRoot(parseResult)).Wal;
            WalRepairResult result;
            try
            {
                result = WalMaintenance.Repair(path);
            }
            catch (StateLogLockedException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteString("path", path);
                    w.WriteNumber("kept_records", result.KeptRecords);
                    w.WriteNumber("removed_bytes", result.RemovedBytes);
                    w.WriteString("aside_path", result.AsidePath);
                    WriteProblems(w, result.Problems);
                });
            }
            else if (result.AsidePath is null)
            {
                await context.Out.WriteLineAsync($"{path}: nothing to repair ({result.KeptRecords} valid records).").ConfigureAwait(false);
            }
            else
            {
                await context.Out.WriteLineAsync($"{path}: kept {result.KeptRecords} valid records; moved {result.RemovedBytes} bad bytes ({result.Problems.Count} stretches) to {result.AsidePath}.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateReset(CliContext context)
    {
        var yes = new Option<bool>("--yes") { Description = "Confirm: delete the WAL and every snapshot (audit logs in .reyn/events/ are kept)." };
        var json = JsonOption();
        var command = new Command("reset", "Delete all in-flight state (WAL, agent and skill-run snapshots, generations). Never touches .reyn/events/. Idempotent.") { yes, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var root = context.ResolveRoot(parseResult);
            if (!parseResult.GetValue(yes))
            {
                throw new CliUserException("'reyn state reset' deletes the WAL and every snapshot under " + root + " (in-flight skill runs are lost; audit logs in .reyn/events/ are kept). Re-run with --yes to confirm.");
            }

            IReadOnlyList<string> deleted;
            try
            {
                deleted = StateReset.Run(root);
            }
            catch (StateLogLockedException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(context.Out, w =>
                {
                    w.WriteStartArray("deleted");
                    foreach (var path in deleted)
                    {
                        w.WriteStringValue(path);
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                await context.Out.WriteLineAsync(deleted.Count == 0 ? "Nothing to reset." : $"Deleted {deleted.Count} path(s); .reyn/events/ was not touched.").ConfigureAwait(false);
                foreach (var path in deleted)
                {
                    await context.Out.WriteLineAsync("  " + path).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteProblems(Utf8JsonWriter w, IReadOnlyList<WalProblem> problems)
    {
        w.WriteStartArray("problems");
        foreach (var problem in problems)
        {
            w.WriteStartObject();
            w.WriteNumber("offset", problem.Offset);
            w.WriteNumber("length", problem.Length);
            w.WriteString("description", problem.Description);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
