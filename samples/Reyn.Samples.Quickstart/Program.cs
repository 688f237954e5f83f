using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Reyn.Runtime;
using Reyn.Samples.Quickstart;

// Quickstart: a host app that runs a multi-phase skill (triage a folder of logs, write a report) through Reyn.
// Every op is permission-checked, every step is in the WAL (.reyn/state/wal.jsonl), every event in the audit log.
var root = Path.Combine(Directory.GetCurrentDirectory(), ".reyn");

// The model. Offline and deterministic by default; to use a real provider, swap this one line, for example:
//   IChatClient chat = new OpenAI.Chat.ChatClient("gpt-4o-mini", key).AsIChatClient();   (package Microsoft.Extensions.AI.OpenAI)
IChatClient chat = new OfflineTriageChatClient();

// Crash-resume demo: --step-delay <ms> pauses before each op, --crash-after <n> kills the process after n ops.
// Run it again in the same directory: the in-flight run is resumed and its committed steps are served from the WAL.
var pacing = OpPacing.FromArgs(args);

var collection = new ServiceCollection()
    .AddSingleton(chat)
    .AddReyn(options =>
    {
        options.RootDirectory = root;
        options.Prices.Set("offline-triage-1", new ModelPrice(InputPerMillion: 0.15m, OutputPerMillion: 0.60m));
    })
    .AddReynSkill(TriageSkill.Create());
pacing?.Apply(collection);
await using var services = collection.BuildServiceProvider();

var runtime = services.GetRequiredService<ReynRuntime>();
if (args.Contains("--chat")) { return await ChatLoop.RunAsync(runtime, Console.In, Console.Out); }
var workspace = runtime.Options.ResolveWorkspace();
SampleLogs.Generate(Path.Combine(workspace, "logs"));

// Crash resume: finish whatever a killed earlier start left in flight.
var restore = await runtime.RestoreAsync();
SkillRunResult? result = null;
foreach (var resumed in restore.Runs)
{
    Console.WriteLine($"resumed:  {resumed.RunId} ({resumed.Skill}) at phase {resumed.Phase}: {resumed.Decision.Action}, " +
        $"{resumed.MemoizedSteps} step(s) memoized from the WAL, {resumed.CommittedSteps} committed in that phase -> {resumed.Result?.StatusName ?? "not run"}");
    result ??= resumed.Result;
}

result ??= await runtime.RunSkillAsync("triage_logs");

var eventsFile = Directory.GetFiles(Path.Combine(root, "events"), result.RunId + ".jsonl", SearchOption.AllDirectories).FirstOrDefault();
Console.WriteLine($"run id:   {result.RunId}");
Console.WriteLine($"status:   {result.StatusName} ({string.Join(" -> ", result.Phases)}) in {result.Duration.TotalMilliseconds:0} ms");
Console.WriteLine($"model:    {result.LlmCalls} call(s), {result.PromptTokens}+{result.CompletionTokens} tokens, ${result.CostUsd:0.000000}");
if (result.Succeeded)
{
    Console.WriteLine($"report:   {Path.Combine(workspace, "report", "triage.md")}");
    Console.WriteLine();
    Console.WriteLine(File.ReadAllText(Path.Combine(workspace, "report", "triage.md")));
}
else
{
    Console.WriteLine($"error:    {result.Error}");
}

Console.WriteLine($"events:   {eventsFile ?? Path.Combine(root, "events")}");
Console.WriteLine($"WAL:      {Path.Combine(root, "state", "wal.jsonl")}");
Console.WriteLine($"inspect:  {ReynCommand()} --root {root} events replay {result.RunId}");
return result.Succeeded ? 0 : 1;

// The CLI from this checkout when the sample runs from one (whatever the current directory), else the installed tool.
static string ReynCommand()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var project = Path.Combine(dir.FullName, "src", "Reyn.Cli");
        if (File.Exists(Path.Combine(project, "Reyn.Cli.csproj")))
        {
            return $"dotnet run --project {project} --";
        }
    }

    return "reyn";
}
