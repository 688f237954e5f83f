using Microsoft.Extensions.AI;
using Reyn.Events;
using Reyn.Runtime.Tests.Support;

namespace Reyn.Runtime.Tests.Llm;

public sealed class LlmCallTests
{
    public sealed record Triage(string Severity, int Count);

    [Fact]
    public async Task CompleteAsync_EmitsContextLlmCalledAndResponseWithTokensCostAndModel()
    {
        await using var h = new RuntimeHarness(o => o.Prices.Set("fake-model", new ModelPrice(InputPerMillion: 2m, OutputPerMillion: 10m, CachedInputPerMillion: 1m)));
        var skill = RuntimeHarness.OnePhase(async ctx =>
        {
            var response = await ctx.CompleteAsync([new ChatMessage(ChatRole.User, "hi")]);
            return response.Text;
        });

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Output.As<string>().Should().Be("ok: hi");
        h.Sink.Types(result.RunId).Should().ContainInOrder("context_built", "llm_called", "llm_response_received");
        var response = h.Sink.OfType(EventTypes.LlmResponseReceived).Single().Data;
        response["prompt_tokens"].Should().Be(100L);
        response["completion_tokens"].Should().Be(20L);
        response["cached_tokens"].Should().Be(40L);
        // (100-40) * 2 + 40 * 1 + 20 * 10 = 360 per million
        response["cost_usd"].Should().Be(0.00036m);
        response.GetString("model").Should().Be("fake-model");
        h.Sink.OfType(EventTypes.LlmCalled).Single().Data.GetString("model").Should().Be("fake-model");
        result.CostUsd.Should().Be(0.00036m);
        result.PromptTokens.Should().Be(100);
        var completed = h.Sink.OfType(EventTypes.RunSkillCompleted).Single().Data;
        completed["cost_usd"].Should().Be(0.00036m);
        completed["prompt_tokens"].Should().Be(100L);
    }

    [Fact]
    public void PriceTable_ModelIdWithDateSuffix_UsesLongestPrefix()
    {
        var table = new PriceTable().Set("gpt-4o", new ModelPrice(5m, 15m)).Set("gpt-4o-mini", new ModelPrice(0.15m, 0.6m));

        table.TryGet("gpt-4o-mini-2024-07-18", out var price).Should().BeTrue();
        price.InputPerMillion.Should().Be(0.15m);
        table.TryGet("claude", out _).Should().BeFalse();
    }

    [Fact]
    public async Task AskAsync_InvalidThenValid_EmitsValidationErrorAndRetries()
    {
        var chat = new FakeChatClient("not json at all", "{\"severity\":\"bogus\",\"count\":1}", "```json\n{\"severity\":\"high\",\"count\":3}\n```");
        await using var h = new RuntimeHarness(chat: chat);
        var skill = RuntimeHarness.OnePhase(async ctx =>
            await ctx.AskAsync<Triage>("triage", t => t.Severity is "low" or "high" ? null : $"severity must be low or high, got '{t.Severity}'"));

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.Succeeded, result.Error);
        result.Output.As<Triage>().Should().Be(new Triage("high", 3));
        var errors = h.Sink.OfType(EventTypes.ValidationError);
        errors.Should().HaveCount(2);
        errors[1].Data.GetString("error").Should().Contain("severity must be low or high");
        errors[0].Data.GetString("phase").Should().Be("work");
        chat.Calls.Should().HaveCount(3);
        chat.Calls[2].Last().Text.Should().Contain("not valid").And.Contain("severity must be low or high");
        chat.Options[0]!.ResponseFormat.Should().BeOfType<ChatResponseFormatJson>();
    }

    [Fact]
    public async Task AskAsync_NeverValid_FailsThePhaseAfterMaxAttempts()
    {
        var chat = new FakeChatClient { Responder = _ => "nope" };
        await using var h = new RuntimeHarness(chat: chat);

        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx => await ctx.AskAsync<Triage>("triage", maxAttempts: 2)));

        result.Status.Should().Be(SkillRunStatus.Failed);
        result.Error.Should().Contain("no valid Triage in 2 attempts");
        h.Sink.OfType(EventTypes.ValidationError).Should().HaveCount(2);
    }

    [Fact]
    public async Task AskAsync_RetriesBeyondPhaseBudget_BudgetExceeded()
    {
        var chat = new FakeChatClient { Responder = _ => "nope" };
        await using var h = new RuntimeHarness(chat: chat);
        var skill = Skill.Create("tight")
            .Phase("work", async ctx => PhaseResult.Finish(await ctx.AskAsync<Triage>("triage", maxAttempts: 5)), budget: new PhaseBudget { MaxLlmCalls = 2 })
            .Build();

        var result = await h.Runtime.RunSkillAsync(skill);

        result.Status.Should().Be(SkillRunStatus.BudgetExceeded);
        chat.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task CompleteAsync_NoChatClientRegistered_PhaseFailsWithHowToRegister()
    {
        await using var h = new RuntimeHarness(services: s => s.Remove(s.Single(d => d.ServiceType == typeof(IChatClient))));

        var result = await h.Runtime.RunSkillAsync(RuntimeHarness.OnePhase(async ctx => await ctx.AskTextAsync("hi")));

        result.Status.Should().Be(SkillRunStatus.Failed);
        result.Error.Should().Contain("No IChatClient is registered");
    }

    [Fact]
    public void HashInput_VolatileCurrentTime_DoesNotChangeArgsHash()
    {
        List<ChatMessage> messages = [new(ChatRole.User, "x")];
        var a = new ChatOptions { AdditionalProperties = new() { ["current_datetime"] = "2026-01-01T00:00:00Z", ["tone"] = "dry" } };
        var b = new ChatOptions { AdditionalProperties = new() { ["current_datetime"] = "2027-05-05T10:00:00Z", ["tone"] = "dry" } };
        var c = new ChatOptions { AdditionalProperties = new() { ["current_datetime"] = "2027-05-05T10:00:00Z", ["tone"] = "warm" } };

        string Hash(ChatOptions o) => ArgsHash.Compute(Internal.LlmCallRecorder.HashInput("m", messages, o), ArgsHash.VolatileLlmFields);

        Hash(a).Should().Be(Hash(b));
        Hash(a).Should().NotBe(Hash(c));
    }
}
