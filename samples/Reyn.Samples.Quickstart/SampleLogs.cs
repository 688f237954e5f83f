using System.Globalization;
using System.Text;

namespace Reyn.Samples.Quickstart;

/// <summary>Writes a small, deterministic folder of service logs to triage.</summary>
internal static class SampleLogs
{
    private static readonly string[] Problems =
    [
        "ERROR write failed: no space left on device (ENOSPC) on /var/data",
        "ERROR database deadlock detected; transaction rolled back",
        "WARN upstream request timed out after 30s",
        "ERROR auth token expired for client web-7 (401)",
        "WARN connection pool exhausted, waiting for a database connection",
        "ERROR disk quota exceeded for tenant acme",
    ];

    public static void Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(42);
        var start = new DateTime(2026, 5, 10, 9, 0, 0, DateTimeKind.Utc);
        foreach (var service in new[] { "api", "billing", "worker", "auth", "search" })
        {
            var log = new StringBuilder();
            for (var i = 0; i < 200; i++)
            {
                var at = start.AddSeconds(i * 7 + random.Next(5)).ToString("O", CultureInfo.InvariantCulture);
                var line = random.Next(100) < 4 ? Problems[random.Next(Problems.Length)] : $"INFO handled request {random.Next(10_000)} in {random.Next(5, 120)} ms";
                log.Append(at).Append(' ').Append(service).Append(' ').Append(line).Append('\n');
            }

            File.WriteAllText(Path.Combine(directory, service + ".log"), log.ToString());
        }
    }
}
