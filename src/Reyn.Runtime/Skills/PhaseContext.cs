using System.Text.Json;
using Microsoft.Extensions.AI;
using Reyn.Events;
using Reyn.Runtime.Internal;

namespace Reyn.Runtime;

/// <summary>
/// What a phase works with: its input artifact, the workspace, ops (<see cref="CallOpAsync"/>), model calls
/// (<see cref="CompleteAsync"/>, <see cref="AskAsync{T}"/>) and questions to a person (<see cref="AskHumanAsync"/>).
/// Everything done through it is permission-checked, emitted as events and recorded as durable steps.
/// </summary>
/// <remarks>Call ops and models one at a time: step ids (<c>&lt;phase&gt;.&lt;op&gt;.&lt;n&gt;</c>) count calls in order.</remarks>
public sealed class PhaseContext
{
    private readonly RunState _run;

    internal PhaseContext(RunState run, PhaseArtifact input, CancellationToken cancellationToken)
    {
        _run = run;
        Input = input;
        CancellationToken = cancellationToken;
    }

    /// <summary>The run id.</summary>
    public string RunId => _run.RunId;

    /// <summary>The skill being run.</summary>
    public SkillDefinition Skill => _run.Skill;

    /// <summary>The current phase.</summary>
    public string Phase => _run.Phase;

    /// <summary>Which visit of this phase this is (1 on first entry).</summary>
    public int VisitCount => _run.VisitCount;

    /// <summary>The artifact the previous phase handed over (the run's input in the entry phase).</summary>
    public PhaseArtifact Input { get; }

    /// <summary>The run's workspace.</summary>
    public Workspace Workspace => _run.Workspace;

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _run.Services;

    /// <summary>Cancelled when the run is cancelled or the phase's time budget runs out.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reads the input artifact as <typeparamref name="T"/>.</summary>
    public T InputAs<T>() => Input.As<T>();

    /// <summary>
    /// Calls an op: permission check, events, durable step, the op. Refusals and failures come back as an error
    /// result (<c>permission_denied</c>, <c>unknown_tool</c>, <c>invalid_args</c>, <c>exception</c>...), never as an exception.
    /// </summary>
    /// <param name="kind">The op kind, for example <c>read_file</c>.</param>
    /// <param name="args">A JSON object: an anonymous object, a dictionary, a <see cref="System.Text.Json.Nodes.JsonObject"/>.</param>
    /// <param name="cancellationToken">Defaults to <see cref="CancellationToken"/>.</param>
    public ValueTask<OpResult> CallOpAsync(string kind, object? args = null, CancellationToken cancellationToken = default) =>
        OpCallPipeline.CallAsync(_run, kind, args, Link(cancellationToken));

    /// <summary>Sends messages to the registered <see cref="IChatClient"/>, recorded and budgeted.</summary>
    public Task<ChatResponse> CompleteAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return LlmCallRecorder.CompleteAsync(_run, messages as IList<ChatMessage> ?? [.. messages], options, Link(cancellationToken));
    }

    /// <summary>Asks the model a one-off question; the skill's instructions are the system message.</summary>
    public async Task<string> AskTextAsync(string prompt, CancellationToken cancellationToken = default)
    {
        var response = await CompleteAsync(BuildMessages(prompt, null), null, cancellationToken).ConfigureAwait(false);
        return response.Text;
    }

    /// <summary>
    /// Asks for a typed answer (structured output). The reply must be JSON that deserializes to
    /// <typeparamref name="T"/> (snake_case names) and passes <paramref name="validate"/>; otherwise
    /// <c>validation_error</c> is emitted and the model is asked again, within the phase's budget and at most
    /// <paramref name="maxAttempts"/> times.
    /// </summary>
    /// <param name="prompt">The question.</param>
    /// <param name="validate">Returns an error message for an unacceptable answer, or <see langword="null"/>.</param>
    /// <param name="maxAttempts">Attempts before the phase fails with <see cref="StructuredOutputException"/>. Default 3.</param>
    /// <param name="cancellationToken">Defaults to <see cref="CancellationToken"/>.</param>
    public async Task<T> AskAsync<T>(string prompt, Func<T, string?>? validate = null, int maxAttempts = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        JsonElement? schema = null;
        try
        {
            schema = AIJsonUtilities.CreateJsonSchema(typeof(T), serializerOptions: RuntimeJson.Options);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // Fall back to "any JSON".
        }

        var options = new ChatOptions
        {
            ResponseFormat = schema is { } s ? ChatResponseFormat.ForJsonSchema(s, typeof(T).Name) : ChatResponseFormat.Json,
        };
        var messages = BuildMessages(prompt, schema);
        string? lastError = null;
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var response = await CompleteAsync(messages, options, cancellationToken).ConfigureAwait(false);
            var text = response.Text;
            var error = TryParse(text, validate, out T? value);
            if (error is null)
            {
                return value!;
            }

            lastError = error;
            _run.Events.Emit(EventTypes.ValidationError, new EventData(5)
            {
                ["error"] = error,
                ["attempt"] = attempt,
                ["max_attempts"] = maxAttempts,
                ["expected_type"] = typeof(T).Name,
            });
            messages.Add(new ChatMessage(ChatRole.Assistant, text));
            messages.Add(new ChatMessage(ChatRole.User, $"Your answer was not valid: {error}. Answer again with only a JSON value that matches the schema."));
        }

        throw new StructuredOutputException($"The model gave no valid {typeof(T).Name} in {maxAttempts} attempts in phase '{Phase}'. Last error: {lastError}");
    }

    /// <summary>
    /// Asks a person and waits for the answer (human in the loop). Writes a durable <c>intervention_dispatched</c>
    /// record, emits <c>user_intervention_requested</c> (with <c>intervention_id</c> and <c>question</c>) and
    /// completes when the host calls <see cref="ReynRuntime.ResolveInterventionAsync"/> with that id
    /// (<see cref="ReynRuntime.GetPendingInterventionsAsync"/> lists the open questions). A run waiting for
    /// 5 minutes or more no longer holds back WAL truncation. After a restart the resumed phase asks nothing again:
    /// an answer recorded before the crash is returned at once, an answer given meanwhile (buffered) is consumed,
    /// otherwise the run waits again for the same intervention. See docs/resume.md.
    /// </summary>
    /// <param name="question">What to ask (shown to the person).</param>
    /// <param name="choices">Allowed choice ids, if the answer is a pick; an answer's <see cref="InterventionAnswer.ChoiceId"/> must be one of them.</param>
    /// <param name="cancellationToken">Defaults to <see cref="CancellationToken"/>. The wait counts toward the phase's time budget; cancelling leaves the question outstanding (a later answer is buffered for the resumed run).</param>
    /// <remarks>Like ops, questions are identified by their order in the phase visit (<c>&lt;phase&gt;.ask_human.&lt;n&gt;</c>): ask them in a deterministic order.</remarks>
    public Task<InterventionAnswer> AskHumanAsync(string question, IReadOnlyList<string>? choices = null, CancellationToken cancellationToken = default) =>
        _run.Interventions is { } broker
            ? broker.AskAsync(_run, question, choices, Link(cancellationToken))
            : throw new InvalidOperationException("This run has no intervention broker: start it through ReynRuntime to ask a person.");

    private List<ChatMessage> BuildMessages(string prompt, JsonElement? schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        var messages = new List<ChatMessage>(4);
        var system = _run.Skill.Instructions ?? _run.Skill.Description;
        if (schema is { } s)
        {
            system = (string.IsNullOrEmpty(system) ? string.Empty : system + "\n\n") + "Answer with only a JSON value matching this JSON schema:\n" + s.GetRawText();
        }

        if (!string.IsNullOrEmpty(system))
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        messages.Add(new ChatMessage(ChatRole.User, prompt));
        return messages;
    }

    private static string? TryParse<T>(string text, Func<T, string?>? validate, out T? value)
    {
        value = default;
        var json = StripFences(text);
        if (json.Length == 0)
        {
            return "the answer was empty";
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(json, RuntimeJson.Options);
        }
        catch (JsonException ex)
        {
            return $"not valid JSON for {typeof(T).Name}: {ex.Message}";
        }

        if (value is null)
        {
            return "the answer was null";
        }

        return validate?.Invoke(value);
    }

    private static string StripFences(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = trimmed.IndexOf('\n');
            var close = trimmed.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && close > firstLine)
            {
                return trimmed[(firstLine + 1)..close].Trim();
            }
        }

        return trimmed;
    }

    private CancellationToken Link(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken;
}

/// <summary>The model did not produce a valid structured answer within the allowed attempts.</summary>
public sealed class StructuredOutputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StructuredOutputException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StructuredOutputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public StructuredOutputException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
