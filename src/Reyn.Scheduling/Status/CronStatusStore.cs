using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Reyn.Scheduling;

/// <summary>
/// Reads and writes the per-job <see cref="CronJobStatus"/> file (<c>&lt;root&gt;/state/cron_status.json</c>).
/// Writes are atomic: a temporary file in the same directory is flushed to disk and renamed over the old one, so a
/// crash leaves either the old or the new file, never a torn one.
/// </summary>
public sealed class CronStatusStore
{
    /// <summary>The file name under <c>&lt;root&gt;/state/</c>.</summary>
    public const string FileName = "cron_status.json";

    private const int FormatVersion = 1;

    /// <summary>Creates a store over <paramref name="path"/>.</summary>
    public CronStatusStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The status file.</summary>
    public string Path { get; }

    /// <summary>The store for the <c>.reyn/</c> root <paramref name="rootDirectory"/>.</summary>
    public static CronStatusStore ForRoot(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        return new CronStatusStore(System.IO.Path.Combine(rootDirectory, "state", FileName));
    }

    /// <summary>
    /// Reads the file. A missing file is an empty result. A file that cannot be read as a status file gives
    /// <see langword="false"/> and an <paramref name="error"/> naming the file and the problem; the file is left alone.
    /// </summary>
    public bool TryLoad([NotNullWhen(true)] out IReadOnlyDictionary<string, CronJobStatus>? statuses, [NotNullWhen(false)] out string? error)
    {
        statuses = null;
        if (!File.Exists(Path))
        {
            statuses = new Dictionary<string, CronJobStatus>(StringComparer.Ordinal);
            error = null;
            return true;
        }

        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var document = JsonDocument.Parse(stream);
            statuses = Read(document.RootElement);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            error = $"the cron status file {Path} is not valid ({ex.Message}); delete or move it to start with empty job status.";
            return false;
        }
    }

    /// <summary>
    /// Reads the file for a scheduler that is starting: an unreadable file is renamed to
    /// <c>cron_status.json.corrupt-&lt;utc ticks&gt;</c> (kept for inspection, nothing is lost) and an empty status is
    /// returned with the <paramref name="warning"/> to log.
    /// </summary>
    public IReadOnlyDictionary<string, CronJobStatus> LoadOrSetAside(DateTimeOffset now, out string? warning)
    {
        if (TryLoad(out var statuses, out var error))
        {
            warning = null;
            return statuses;
        }

        var aside = Path + ".corrupt-" + now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        File.Move(Path, aside);
        warning = $"{error} It was moved to {aside}; job status starts empty.";
        return new Dictionary<string, CronJobStatus>(StringComparer.Ordinal);
    }

    /// <summary>Writes every job's status atomically (write temp, flush to disk, rename).</summary>
    public void Save(IReadOnlyDictionary<string, CronJobStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = Path + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                {
                    Write(writer, statuses);
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    private static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, CronJobStatus> statuses)
    {
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteStartObject("jobs");
        foreach (var name in statuses.Keys.Order(StringComparer.Ordinal))
        {
            var status = statuses[name];
            writer.WriteStartObject(name);
            WriteTime(writer, "last_run_at", status.LastRunAt);
            writer.WriteString("last_status", status.LastStatus);
            if (status.LastDuration is { } duration)
            {
                writer.WriteNumber("last_duration_ms", Math.Round(duration.TotalMilliseconds, 3));
            }
            else
            {
                writer.WriteNull("last_duration_ms");
            }

            writer.WriteString("last_error", status.LastError);
            WriteTime(writer, "next_run_at", status.NextRunAt);
            writer.WriteNumber("skipped_count", status.SkippedCount);
            WriteTime(writer, "last_skipped_at", status.LastSkippedAt);
            writer.WriteString("last_skip_reason", status.LastSkipReason);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static Dictionary<string, CronJobStatus> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the top level is not a JSON object");
        }

        if (!root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
        {
            throw new FormatException($"expected \"version\": {FormatVersion}");
        }

        var result = new Dictionary<string, CronJobStatus>(StringComparer.Ordinal);
        if (!root.TryGetProperty("jobs", out var jobs) || jobs.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"jobs\" is missing or not an object");
        }

        foreach (var job in jobs.EnumerateObject())
        {
            var value = job.Value;
            result[job.Name] = new CronJobStatus
            {
                LastRunAt = ReadTime(value, "last_run_at"),
                LastStatus = ReadString(value, "last_status"),
                LastDuration = value.TryGetProperty("last_duration_ms", out var ms) && ms.ValueKind == JsonValueKind.Number
                    ? TimeSpan.FromMilliseconds(ms.GetDouble())
                    : null,
                LastError = ReadString(value, "last_error"),
                NextRunAt = ReadTime(value, "next_run_at"),
                SkippedCount = value.TryGetProperty("skipped_count", out var skipped) && skipped.ValueKind == JsonValueKind.Number ? skipped.GetInt64() : 0,
                LastSkippedAt = ReadTime(value, "last_skipped_at"),
                LastSkipReason = ReadString(value, "last_skip_reason"),
            };
        }

        return result;
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? ReadTime(JsonElement element, string name) =>
        ReadString(element, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
}
