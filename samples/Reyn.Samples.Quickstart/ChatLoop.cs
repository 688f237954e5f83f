using Reyn.Runtime;

namespace Reyn.Samples.Quickstart;

/// <summary>
/// <c>--chat</c>: a line-based chat session. Plain text is a chat turn, <c>/run &lt;skill&gt;</c> runs a skill,
/// <c>/reload</c> asks for a reload of <c>.reyn/{mcp,cron,hooks}.yaml</c> (applied at the next turn boundary),
/// <c>/quit</c> (or end of input) leaves.
/// </summary>
internal static class ChatLoop
{
    public static async Task<int> RunAsync(ReynRuntime runtime, TextReader input, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var session = runtime.CreateSession("chat");
        await output.WriteLineAsync("chat session started: type a message, /run triage_logs, /reload, or /quit").ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            await output.WriteAsync("> ").ConfigureAwait(false);
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null || line.Trim() == "/quit")
            {
                break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Trim() == "/reload")
            {
                session.RequestReload();
                await output.WriteLineAsync("reload requested (source: operator): it applies at the next turn boundary, after the next turn completes.").ConfigureAwait(false);
                continue;
            }

            var turn = await session.RunTurnAsync(line, cancellationToken).ConfigureAwait(false);
            foreach (var push in session.LastTurnHookPushes)
            {
                await output.WriteLineAsync(push.Text).ConfigureAwait(false);
            }

            await output.WriteLineAsync($"[{turn.Kind}] {turn.Reply}").ConfigureAwait(false);
            foreach (var hookTurn in session.HookDrivenTurns)
            {
                await output.WriteLineAsync($"[hook turn {hookTurn.Turn}] {hookTurn.Reply}").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"chat session ended after {session.TurnCount} turn(s)").ConfigureAwait(false);
        return 0;
    }
}
