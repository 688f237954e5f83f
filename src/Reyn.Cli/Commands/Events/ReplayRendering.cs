using Reyn.Events;
using Reyn.Events.Reporting;

namespace Reyn.Cli.Commands.Events;

/// <summary>
/// How <c>reyn events replay</c> renders one event: the text of <see cref="ConsoleReporter"/> (the same lines a live
/// run prints), or <see langword="null"/> when the reporter prints nothing for it.
/// </summary>
internal static class ReplayRendering
{
    public static Func<ReynEvent, string?> Create(bool conversation) => new ConsoleReporter(TextWriter.Null, conversation).Render;
}
