using System.Globalization;
using Reyn.Events;

namespace Reyn.Cli.Commands.Cron;

/// <summary>Prints each cron event of <c>reyn cron run</c> as one line: time and the catalog summary.</summary>
internal sealed class ConsoleEventSink(TextWriter output) : IEventSink
{
    private readonly Lock _gate = new();

    public void Write(ReynEvent evt)
    {
        var line = $"[{evt.Timestamp.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}] {EventCatalog.Summarize(evt)}";
        try
        {
            lock (_gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
        catch (IOException)
        {
            // The console went away; emission never fails the scheduler.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
