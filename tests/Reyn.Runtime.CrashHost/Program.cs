using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Runtime;

// Usage: Reyn.Runtime.CrashHost <directory> <policy: retry|skip|discard_skill>
// Prints "L <line>" after each ledger append, "R <action> <memoized>" per resumed run, then "OUT <output>" and "DONE".
var directory = args[0];
var policy = args.Length > 1 ? args[1] : "retry";
var ledger = Path.Combine(directory, "ledger.txt");
var counter = Path.Combine(directory, "llm_calls.txt");
var outputFile = Path.Combine(directory, "work", "output.txt");

var services = new ServiceCollection();
services.AddSingleton<IChatClient>(new CountingChatClient(counter));
services.AddSingleton<IOp>(new LedgerOp(ledger));
services.AddReyn(o =>
{
    o.RootDirectory = Path.Combine(directory, ".reyn");
    o.WorkspaceDirectory = Path.Combine(directory, "work");
    o.SkillResume.Default = policy;
});
services.AddReynSkill(CrashSkill.Build());
await using var provider = services.BuildServiceProvider();
var runtime = provider.GetRequiredService<ReynRuntime>();

var restore = await runtime.RestoreAsync();
foreach (var run in restore.Runs)
{
    Console.WriteLine($"R {run.Decision.Action} {run.MemoizedSteps} {run.Result?.StatusName}");
}

if (!File.Exists(outputFile))
{
    var result = await runtime.RunSkillAsync("crashy", "seed", new SkillRunOptions { RunId = "crashrun" });
    if (!result.Succeeded)
    {
        Console.WriteLine("FAILED " + result.Error);
        return 1;
    }
}

Console.WriteLine("OUT " + File.ReadAllText(outputFile));
Console.WriteLine("DONE");
return 0;

/// <summary>The skill: six phases (one loops once), three ledger appends, one world read and one model call per visit.</summary>
internal static class CrashSkill
{
    public static SkillDefinition Build()
    {
        var builder = Skill.Create("crashy").Permissions(p => p.AllowOps("ledger", "read_file", "write_file").Write("**"));
        string[] phases = ["p0", "p1", "p2", "p3", "p4", "p5"];
        for (var i = 0; i < phases.Length; i++)
        {
            var name = phases[i];
            var next = i + 1 < phases.Length ? phases[i + 1] : null;
            builder.Phase(name, async ctx =>
            {
                var input = ctx.Input.HasValue ? ctx.Input.As<string>() : string.Empty;
                for (var op = 0; op < 3; op++)
                {
                    await ctx.CallOpAsync("ledger", new { line = $"{name}#{ctx.VisitCount}.{op}" });
                }

                await ctx.CallOpAsync("read_file", new { path = "missing.txt" }); // world: re-executed on resume
                var answer = await ctx.AskTextAsync($"{name}#{ctx.VisitCount} {input}");
                var artifact = input + "|" + answer;
                if (name == "p2" && ctx.VisitCount == 1)
                {
                    return PhaseResult.Next("p2", artifact); // one loop: visit counts must survive a resume
                }

                if (next is not null)
                {
                    return PhaseResult.Next(next, artifact);
                }

                await ctx.CallOpAsync("write_file", new { path = "output.txt", content = artifact });
                return PhaseResult.Finish(artifact);
            }, maxVisits: name == "p2" ? 2 : 1);
        }

        return builder.Build();
    }
}

/// <summary>A side-effect op: appends one line to the ledger, then prints it.</summary>
internal sealed class LedgerOp(string path) : IOp
{
    public string Kind => "ledger";

    public OpPurity Purity => OpPurity.SideEffect;

    public ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var line = invocation.Arguments.GetString("line");
        File.AppendAllText(path, line + "\n");
        Console.WriteLine("L " + line);
        return ValueTask.FromResult(OpResult.Ok(new { line }));
    }
}

/// <summary>A deterministic offline model: the answer is a hash of the prompt; every real call appends to a counter file.</summary>
internal sealed class CountingChatClient(string counterPath) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        File.AppendAllText(counterPath, prompt.Split(' ')[0] + "\n");
        var answer = "a" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)).AsSpan(0, 4));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { ModelId = "offline" });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
