using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Reyn.Events;
using Reyn.State;

namespace Reyn.Runtime.Internal;

/// <summary>
/// One model call inside a phase: budget check, <c>context_built</c>, <c>llm_called</c>, the call,
/// <c>llm_response_received</c> (tokens, cost, model), and the WAL <c>step_completed</c> (large results stored beside it).
/// </summary>
internal static class LlmCallRecorder
{
    public static async Task<ChatResponse> CompleteAsync(RunState run, IList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var client = run.ChatClient ?? throw new InvalidOperationException(
            "No IChatClient is registered. Register one, for example services.AddSingleton<IChatClient>(myClient), before calling AddReyn().");
        var budget = run.PhaseBudget;
        var maxCalls = budget.MaxLlmCalls ?? run.Options.Budget.MaxLlmCallsPerPhase;
        if (run.PhaseLlmCalls + 1 > maxCalls)
        {
            throw new PhaseBudgetExceededException("max_llm_calls", (run.PhaseLlmCalls + 1).ToString(CultureInfo.InvariantCulture), maxCalls.ToString(CultureInfo.InvariantCulture));
        }

        var maxTokens = budget.MaxTokens ?? run.Options.Budget.MaxTokensPerPhase;
        if (maxTokens is { } tokenLimit && run.PhaseTokens >= tokenLimit)
        {
            throw new PhaseBudgetExceededException("max_tokens", run.PhaseTokens.ToString(CultureInfo.InvariantCulture), tokenLimit.ToString(CultureInfo.InvariantCulture));
        }

        run.PhaseLlmCalls++;
        var model = options?.ModelId
            ?? run.Options.DefaultModel
            ?? (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId
            ?? "default";
        var stepId = run.NextStepId("llm");
        var argsHash = ArgsHash.Compute(HashInput(model, messages, options), ArgsHash.VolatileLlmFields);

        if (run.Memo is { } memo && memo.TryGet(stepId, run.Phase, argsHash, out var recorded)
            && StepWriter.ResolveRef(run.AgentStateDirectory, run.RunId, recorded) is { ValueKind: JsonValueKind.Object } resolved)
        {
            run.Events.Emit(EventTypes.StepMemoized, new EventData(4) { ["op_invocation_id"] = stepId, ["op_kind"] = "llm", ["args_hash"] = argsHash });
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, resolved.TryGetProperty("text", out var recordedText) ? recordedText.GetString() : string.Empty))
            {
                ModelId = resolved.TryGetProperty("model", out var m) ? m.GetString() : model,
            };
        }

        var contextData = new EventData(8)
        {
            ["op_invocation_id"] = stepId,
            ["visit_count"] = run.VisitCount,
            ["message_count"] = messages.Count,
            ["instructions"] = FirstText(messages, ChatRole.System),
            ["input"] = LastText(messages, ChatRole.User),
        };
        run.Events.Emit(EventTypes.ContextBuilt, contextData);
        run.Events.Emit(EventTypes.LlmCalled, new EventData(4) { ["model"] = model, ["op_invocation_id"] = stepId, ["args_hash"] = argsHash });

        var response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);

        var usage = response.Usage;
        var prompt = usage?.InputTokenCount ?? 0;
        var completion = usage?.OutputTokenCount ?? 0;
        var cached = usage?.CachedInputTokenCount ?? 0;
        var responseModel = response.ModelId ?? model;
        var priced = run.Options.Prices.TryGet(responseModel, out var price) || run.Options.Prices.TryGet(model, out price);
        var cost = priced ? price.Cost(prompt, completion, cached) : 0m;
        run.PhaseTokens += prompt + completion;
        lock (run)
        {
            run.PromptTokens += prompt;
            run.CompletionTokens += completion;
            run.CachedTokens += cached;
            run.CostUsd += cost;
            run.LlmCalls++;
        }

        var text = response.Text;
        run.Events.Emit(EventTypes.LlmResponseReceived, new EventData(12)
        {
            ["model"] = responseModel,
            ["op_invocation_id"] = stepId,
            ["prompt_tokens"] = prompt,
            ["completion_tokens"] = completion,
            ["cached_tokens"] = cached,
            ["cost_usd"] = cost,
            ["pricing"] = priced ? "table" : "unknown",
            ["usage_source"] = usage is null ? "none" : "provider",
            ["response_type"] = options?.ResponseFormat is ChatResponseFormatJson ? "json" : "text",
            ["finish_reason"] = response.FinishReason?.Value,
            ["raw"] = text,
        });

        if (run.Wal is not null)
        {
            var result = RuntimeJson.ToElement(new Dictionary<string, object?>
            {
                ["text"] = text,
                ["model"] = responseModel,
                ["finish_reason"] = response.FinishReason?.Value,
            });
            var fields = StepWriter.StepFields(run, stepId, "llm", argsHash);
            fields["result"] = await StepWriter.SpillIfLargeAsync(run, result, argsHash, cancellationToken).ConfigureAwait(false);
            fields["usage"] = RuntimeJson.ToElement(new Dictionary<string, object?>
            {
                ["prompt_tokens"] = prompt,
                ["completion_tokens"] = completion,
                ["cached_tokens"] = cached,
                ["cost_usd"] = cost,
            });
            await StepWriter.AppendAsync(run, WalKinds.StepCompleted, fields, stepId, cancellationToken).ConfigureAwait(false);
        }

        if (maxTokens is { } limit && run.PhaseTokens > limit)
        {
            throw new PhaseBudgetExceededException("max_tokens", run.PhaseTokens.ToString(CultureInfo.InvariantCulture), limit.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    /// <summary>What the args hash of a model call covers: model, messages (role + text), response format, tools. Not the time.</summary>
    internal static JsonObject HashInput(string model, IList<ChatMessage> messages, ChatOptions? options)
    {
        var list = new JsonArray();
        foreach (var message in messages)
        {
            list.Add(new JsonObject { ["role"] = message.Role.Value, ["text"] = message.Text });
        }

        var input = new JsonObject { ["model"] = model, ["messages"] = list };
        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            input["response_format"] = json.Schema is { } schema ? JsonNode.Parse(schema.GetRawText()) : "json";
        }

        if (options?.Instructions is { } instructions)
        {
            input["instructions"] = instructions;
        }

        if (options?.Temperature is { } temperature)
        {
            input["temperature"] = temperature;
        }

        if (options?.AdditionalProperties is { Count: > 0 } extra)
        {
            var extras = new JsonObject();
            foreach (var (key, value) in extra)
            {
                extras[key] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType());
            }

            input["additional_properties"] = extras;
        }

        return input;
    }

    private static string? FirstText(IList<ChatMessage> messages, ChatRole role)
    {
        foreach (var message in messages)
        {
            if (message.Role == role)
            {
                return message.Text;
            }
        }

        return null;
    }

    private static string? LastText(IList<ChatMessage> messages, ChatRole role)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == role)
            {
                return messages[i].Text;
            }
        }

        return null;
    }
}
