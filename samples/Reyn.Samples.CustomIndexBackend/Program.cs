using Microsoft.Extensions.DependencyInjection;
using Reyn.Index;
using Reyn.Samples.CustomIndexBackend;

// The one DI line: AddReynIndex(...).UseBackend<InMemoryIndexBackend>() swaps the default SQLite backend.
var services = new ServiceCollection();
services.AddReynIndex(o => o.RootDirectory = Path.Combine(Path.GetTempPath(), "reyn-sample", ".reyn"))
    .UseBackend<InMemoryIndexBackend>();
using var provider = services.BuildServiceProvider();

var backend = provider.GetRequiredService<IIndexBackend>();
var run = new RunSummary
{
    RunId = "run-1",
    Skill = "my_skill",
    StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
    CompletedAt = DateTimeOffset.UtcNow,
    Status = RunStatuses.Failed,
    Phases = ["explore", "plan", "verify"],
    FailedPhase = "verify",
    FailureReason = "test execution timeout",
    Errors = ["test execution timeout"],
};
await backend.UpsertAsync("events", [RunChunkFormat.ToChunk(run)]);

var recall = provider.GetRequiredService<Recall>();
var result = await recall.RecallAsync(new RecallRequest { Sources = ["events"], Query = "failures in the verify phase of my_skill", TopK = 3 });
Console.WriteLine($"backend: {backend.GetType().Name}, mode: {result.Mode}, hits: {result.Hits.Count}");
foreach (var hit in result.Hits)
{
    Console.WriteLine($"--- {hit.Id} (score {hit.Score})\n{hit.Text}");
}
