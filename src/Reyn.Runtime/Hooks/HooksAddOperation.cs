using Reyn.Runtime.HotReload;
using YamlDotNet.RepresentationModel;

namespace Reyn.Runtime.Hooks;

/// <summary>
/// The logic of the <c>hooks_add</c> op (purity: side effect): appends a push hook to <c>&lt;root&gt;/hooks.yaml</c>
/// and schedules a reload with source <c>llm_op</c>, so the hook takes effect at the next turn boundary.
/// </summary>
/// <remarks>
/// <para>The target is hard-coded: no parameter can change it, so an LLM can never reach <c>reyn.yaml</c> through it.
/// The file is replaced atomically (temporary file + rename in the same directory), which also means a symbolic link
/// at that name is replaced, never written through.</para>
/// <para>The hook is validated before anything is written; an existing file that is itself invalid is left untouched
/// (fix it first). An identical hook already present is not added again and no reload is scheduled. Comments in the
/// existing file are not preserved (the file is re-serialized).</para>
/// </remarks>
public sealed class HooksAddOperation
{
    /// <summary>The op kind.</summary>
    public const string OpName = "hooks_add";

    private readonly IReloadScheduler _reloads;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _display;

    /// <summary>Creates the operation for <paramref name="rootDirectory"/> (the <c>.reyn/</c> directory).</summary>
    public HooksAddOperation(string rootDirectory, IReloadScheduler reloads)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(reloads);
        RootDirectory = Path.GetFullPath(rootDirectory);
        _reloads = reloads;
        TargetPath = Path.Combine(RootDirectory, InSetLoader.HooksFileName);
        _display = Path.GetFileName(Path.TrimEndingDirectorySeparator(RootDirectory)) + "/" + InSetLoader.HooksFileName;
    }

    /// <summary>The <c>.reyn/</c> directory.</summary>
    public string RootDirectory { get; }

    /// <summary>The only file this operation ever writes: <c>&lt;root&gt;/hooks.yaml</c>.</summary>
    public string TargetPath { get; }

    /// <summary>Runs the op from raw arguments (see <see cref="HooksAddRequest.TryParse"/>).</summary>
    public ValueTask<HooksAddResult> ExecuteAsync(IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return HooksAddRequest.TryParse(arguments, out var request, out var error)
            ? ExecuteAsync(request!, cancellationToken)
            : ValueTask.FromResult(Fail(arguments.TryGetValue("on", out var on) ? on?.ToString() : null, "invalid hook: " + error));
    }

    /// <summary>Validates the hook, appends it to <c>hooks.yaml</c> unless an identical one exists, and schedules a reload.</summary>
    public async ValueTask<HooksAddResult> ExecuteAsync(HooksAddRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HookPoints.TryParse(request.On, out var point))
        {
            return Fail(request.On, $"invalid hook: 'on' is '{request.On}'; use one of {string.Join(", ", HookPoints.All)}.");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        var pushWhen = string.IsNullOrWhiteSpace(request.PushWhen) ? null : request.PushWhen;
        var hook = new HookDefinition(point, request.Message ?? string.Empty, request.Wake ?? true, pushWhen, name);
        var check = HookLayer.FromDefinitions(HookLayerKind.Runtime, _display, [hook]);
        if (!check.IsValid)
        {
            return Fail(request.On, "invalid hook: " + string.Join("; ", check.Errors.Select(e => e.Message)));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string existingText;
            try
            {
                existingText = new PhysicalInSetFileReader(RootDirectory).ReadText(TargetPath) ?? string.Empty;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(request.On, $"{_display} cannot be read ({ex.Message}); nothing was written.");
            }

            var existing = HookLayer.Parse(HookLayerKind.Runtime, existingText, _display);
            if (!existing.IsValid)
            {
                return Fail(request.On, $"the existing {_display} is invalid ({string.Join("; ", existing.Errors)}); fix or remove it, then add the hook again. Nothing was written.");
            }

            if (existing.Hooks.Contains(hook))
            {
                return new HooksAddResult(true, request.On, Added: false, ReloadScheduled: false, TargetPath, null);
            }

            var text = Render(existingText, hook);
            var written = HookLayer.Parse(HookLayerKind.Runtime, text, _display);
            if (!written.IsValid || !written.Hooks.Contains(hook))
            {
                return Fail(request.On, $"internal error: the rewritten {_display} did not validate ({string.Join("; ", written.Errors)}); nothing was written.");
            }

            await WriteAtomicallyAsync(text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        _reloads.RequestReload(ReloadSources.LlmOp);
        return new HooksAddResult(true, request.On, Added: true, ReloadScheduled: true, TargetPath, null);
    }

    private HooksAddResult Fail(string? on, string error) => new(false, on, false, false, TargetPath, error);

    private static string Render(string existingText, HookDefinition hook)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(existingText));
        YamlMappingNode root;
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            root = new YamlMappingNode();
            stream = new YamlStream(new YamlDocument(root));
        }
        else
        {
            root = mapping;
        }

        var key = new YamlScalarNode("hooks");
        if (!root.Children.TryGetValue(key, out var hooksNode) || hooksNode is not YamlSequenceNode sequence)
        {
            sequence = new YamlSequenceNode();
            root.Children[key] = sequence;
        }

        sequence.Style = YamlDotNet.Core.Events.SequenceStyle.Block;
        sequence.Add(ToNode(hook));
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends every document with an explicit end marker; one document needs none.
        var trimmed = text.TrimEnd();
        if (trimmed.EndsWith("...", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^3].TrimEnd();
        }

        return trimmed + "\n";
    }

    private static YamlMappingNode ToNode(HookDefinition hook)
    {
        var push = new YamlMappingNode
        {
            { "message", Quoted(hook.Message) },
            { "wake", hook.Wake ? "true" : "false" },
        };
        if (hook.PushWhen is not null)
        {
            push.Add("push_when", Quoted(hook.PushWhen));
        }

        // "on" is quoted so YAML 1.1 readers do not take the key for the boolean true.
        var node = new YamlMappingNode
        {
            { new YamlScalarNode("on") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted }, new YamlScalarNode(hook.On.ToName()) },
            { "template_push", push },
        };
        if (hook.Name is not null)
        {
            node.Add("name", Quoted(hook.Name));
        }

        return node;
    }

    private static YamlScalarNode Quoted(string value) => new(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

    private async Task WriteAtomicallyAsync(string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RootDirectory);
        var temporary = Path.Combine(RootDirectory, $".{InSetLoader.HooksFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, TargetPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
