using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using Reyn.Events.Internal;
using Reyn.Events.Sanitization.Internal;
using Reyn.Events.Serialization;

namespace Reyn.Events.Sanitization;

/// <summary>
/// Removes secrets from event payloads before anything is persisted, in linear time:
/// <list type="bullet">
/// <item>the value of a key containing <c>token</c>, <c>password</c>, <c>secret</c>, <c>authorization</c>, <c>cookie</c>,
/// <c>api-key</c>/<c>api_key</c>/<c>apikey</c>, <c>private_key</c> or <c>credential</c> (case-insensitive, at any depth)
/// becomes <c>[redacted]</c>, whatever its type; the one exception is a number under a key whose only secret word is
/// <c>token</c> (token counts such as <c>prompt_tokens</c>), which is kept;</item>
/// <item>inside strings, <see cref="SecretPatterns"/> redacts credential URLs, secret query parameters, token shapes and
/// <c>UPPER_CASE_SECRET=value</c> assignments;</item>
/// <item>each string is capped at <see cref="SanitizerOptions.MaxStringLength"/> and the whole payload at
/// <see cref="SanitizerOptions.MaxPayloadBytes"/>, with visible markers; cycles become <c>[circular]</c>, nesting deeper
/// than <see cref="SanitizerOptions.MaxDepth"/> <c>[depth limit]</c>, lone surrogates U+FFFD.</item>
/// </list>
/// Nested containers are copied (as <see cref="EventData"/> or lists), never mutated: only the top-level payload handed
/// to the emitter is changed in place.
/// </summary>
public sealed class EventSanitizer
{
    /// <summary>The replacement of a secret value.</summary>
    public const string Redacted = SecretPatterns.Redacted;

    /// <summary>The replacement of a container that contains itself.</summary>
    public const string Circular = "[circular]";

    /// <summary>The replacement of a container nested deeper than <see cref="SanitizerOptions.MaxDepth"/>.</summary>
    public const string DepthLimit = "[depth limit]";

    /// <summary>The field added to a payload whose size was cut to <see cref="SanitizerOptions.MaxPayloadBytes"/>.</summary>
    public const string TruncatedField = "_truncated";

    private static readonly SearchValues<string> SensitiveKeyWords = SearchValues.Create(
        ["token", "password", "secret", "authorization", "cookie", "api-key", "api_key", "apikey", "private_key", "privatekey", "private-key", "credential"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> SensitiveKeyWordsButToken = SearchValues.Create(
        ["password", "secret", "authorization", "cookie", "api-key", "api_key", "apikey", "private_key", "privatekey", "private-key", "credential"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly string[] ProtectedFields =
    [
        EventFields.RunId, EventFields.Skill, EventFields.Phase, EventFields.Agent, EventFields.SessionId,
        EventFields.ChainId, EventFields.Emitter, EventFields.AuditSeq, EventFields.Level,
    ];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_measureBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_measureWriter;

    private static readonly StringReferenceCache PlainKeys = new();
    private readonly StringReferenceCache _cleanStrings = new();
    private readonly SanitizerOptions _options;

    /// <summary>Creates a sanitizer with the given limits.</summary>
    /// <exception cref="ArgumentException">The limits are invalid (see <see cref="SanitizerOptions.Validate"/>).</exception>
    public EventSanitizer(SanitizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
    }

    /// <summary>The limits in force.</summary>
    public SanitizerOptions Options => _options;

    /// <summary>Whether the value of a field named <paramref name="key"/> is redacted as a whole.</summary>
    public static bool IsSensitiveKey(string key)
    {
        if (key is null || PlainKeys.Contains(key))
        {
            return false;
        }

        if (key.AsSpan().ContainsAny(SensitiveKeyWords))
        {
            return true;
        }

        PlainKeys.Add(key);
        return false;
    }

    /// <summary>Sanitizes <paramref name="data"/> in place (see the class remarks).</summary>
    /// <returns>What was changed; <see cref="SanitizationChanges.None"/> for a clean payload.</returns>
    public SanitizationChanges Sanitize(EventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var state = new WalkState();
        for (var i = 0; i < data.Count; i++)
        {
            var key = data.KeyAt(i);
            var value = data.ValueAt(i);
            state.Estimate += (key.Length * 6) + 4;
            var sanitized = SanitizeField(key, value, 1, ref state);
            if (!ReferenceEquals(sanitized, value))
            {
                data.SetValueAt(i, sanitized);
            }
        }

        if (state.Estimate + 2 > _options.MaxPayloadBytes)
        {
            CapPayload(data, ref state);
        }

        return state.Changes;
    }

    /// <summary>Redacts secrets in <paramref name="value"/>, replaces lone surrogates and applies the string cap.</summary>
    public string SanitizeString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var state = new WalkState();
        return SanitizeString(value, ref state);
    }

    private object? SanitizeField(string key, object? value, int depth, ref WalkState state)
    {
        if (value is not null && IsSensitiveKey(key) && !IsTokenCount(key, value))
        {
            state.Changes |= SanitizationChanges.Redacted;
            state.Estimate += Redacted.Length + 2;
            return Redacted;
        }

        return SanitizeValue(value, depth, ref state);
    }

    private static bool IsTokenCount(string key, object value) =>
        value is int or long or short or uint or ulong or double or float or decimal
            or JsonElement { ValueKind: JsonValueKind.Number }
        && !key.AsSpan().ContainsAny(SensitiveKeyWordsButToken);

    private object? SanitizeValue(object? value, int depth, ref WalkState state)
    {
        switch (value)
        {
            case string s: // first: most payload values are strings, and the type tests below are not free
                return SanitizeString(s, ref state);
            case null:
            case bool:
            case int or long or short or byte or sbyte or ushort or uint or ulong or double or float or decimal:
            case DateTimeOffset or DateTime or Guid or TimeSpan or Enum:
                state.Estimate += 40;
                return value;
            case JsonElement element:
                return SanitizeElement(element, depth, ref state);
            case System.Text.Json.Nodes.JsonNode node:
                return SanitizeElement(JsonSerializer.SerializeToElement(node, JsonNodeContext.Default.JsonNode), depth, ref state);
        }

        if (value is IEnumerable and not string)
        {
            return SanitizeContainer(value, depth, ref state);
        }

        string text;
        try
        {
            text = value is IFormattable formattable
                ? formattable.ToString(null, CultureInfo.InvariantCulture)
                : value.ToString() ?? string.Empty;
        }
        catch (Exception ex)
        {
            state.Changes |= SanitizationChanges.UnserializableValue;
            text = $"[unserializable {value.GetType().Name}: {ex.GetType().Name}]";
        }

        return SanitizeString(text, ref state);
    }

    private object SanitizeContainer(object container, int depth, ref WalkState state)
    {
        if (depth >= _options.MaxDepth)
        {
            state.Changes |= SanitizationChanges.StructureCut;
            state.Estimate += DepthLimit.Length + 2;
            return DepthLimit;
        }

        state.Path ??= new HashSet<object>(ReferenceEqualityComparer.Instance);
        if (!state.Path.Add(container))
        {
            state.Changes |= SanitizationChanges.StructureCut;
            state.Estimate += Circular.Length + 2;
            return Circular;
        }

        try
        {
            state.Estimate += 2;
            switch (container)
            {
                case EventData data:
                {
                    var copy = new EventData(data.Count);
                    for (var i = 0; i < data.Count; i++)
                    {
                        AddField(copy, data.KeyAt(i), data.ValueAt(i), depth, ref state);
                    }

                    return copy;
                }

                case IEnumerable<KeyValuePair<string, object?>> pairs:
                {
                    var copy = new EventData();
                    foreach (var (key, item) in pairs)
                    {
                        AddField(copy, key, item, depth, ref state);
                    }

                    return copy;
                }

                case IDictionary dictionary:
                {
                    var copy = new EventData(dictionary.Count);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        AddField(copy, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value, depth, ref state);
                    }

                    return copy;
                }

                default:
                {
                    var list = new List<object?>();
                    foreach (var item in (IEnumerable)container)
                    {
                        state.Estimate += 1;
                        list.Add(SanitizeValue(item, depth + 1, ref state));
                    }

                    return list;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
        {
            // A collection modified while we walk it, or one that cannot be enumerated: keep the event, lose the value.
            state.Changes |= SanitizationChanges.UnserializableValue;
            return $"[unserializable {container.GetType().Name}: {ex.GetType().Name}]";
        }
        finally
        {
            state.Path!.Remove(container);
        }
    }

    private void AddField(EventData copy, string key, object? value, int depth, ref WalkState state)
    {
        state.Estimate += (key.Length * 6) + 4;
        copy.Set(Utf16Text.Scrub(key), SanitizeField(key, value, depth + 1, ref state));
    }

    private object? SanitizeElement(JsonElement element, int depth, ref WalkState state)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
            {
                var text = element.GetString()!;
                var sanitized = SanitizeString(text, ref state);
                return ReferenceEquals(text, sanitized) ? element : sanitized;
            }

            case JsonValueKind.Object:
            {
                if (depth >= _options.MaxDepth)
                {
                    state.Changes |= SanitizationChanges.StructureCut;
                    return DepthLimit;
                }

                var copy = new EventData();
                foreach (var property in element.EnumerateObject())
                {
                    state.Estimate += (property.Name.Length * 6) + 4;
                    copy.Set(property.Name, SanitizeField(property.Name, property.Value, depth + 1, ref state));
                }

                return copy;
            }

            case JsonValueKind.Array:
            {
                if (depth >= _options.MaxDepth)
                {
                    state.Changes |= SanitizationChanges.StructureCut;
                    return DepthLimit;
                }

                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    state.Estimate += 1;
                    list.Add(SanitizeValue(item, depth + 1, ref state));
                }

                return list;
            }

            default:
                state.Estimate += 40;
                return element;
        }
    }

    private string SanitizeString(string value, ref WalkState state)
    {
        if (_cleanStrings.Contains(value))
        {
            state.Estimate += (value.Length * 6) + 2;
            return value;
        }

        var result = Utf16Text.Scrub(value);
        if (!ReferenceEquals(result, value))
        {
            state.Changes |= SanitizationChanges.InvalidTextReplaced;
        }

        var maxLength = _options.MaxStringLength;
        string redacted;
        int totalLength;
        if (result.Length > maxLength + (2 * CappedRedaction.Margin))
        {
            // Only what survives the cap is redacted (plus the look-ahead that catches a secret straddling the cut).
            redacted = CappedRedaction.RedactPrefix(result, maxLength, out totalLength);
            if (totalLength != result.Length || !result.AsSpan(0, redacted.Length).SequenceEqual(redacted))
            {
                state.Changes |= SanitizationChanges.Redacted;
            }
        }
        else
        {
            redacted = SecretPatterns.Redact(result);
            totalLength = redacted.Length;
            if (!ReferenceEquals(redacted, result) && !string.Equals(redacted, result, StringComparison.Ordinal))
            {
                state.Changes |= SanitizationChanges.Redacted;
            }
        }

        if (totalLength > maxLength)
        {
            state.Changes |= SanitizationChanges.StringTruncated;
            result = Truncate(redacted, totalLength, maxLength);
        }
        else if (!ReferenceEquals(redacted, result) && !string.Equals(redacted, result, StringComparison.Ordinal))
        {
            result = redacted;
        }

        state.Estimate += (result.Length * 6) + 2;
        if (ReferenceEquals(result, value))
        {
            _cleanStrings.Add(value);
        }

        return result;
    }

    /// <summary>Cuts <paramref name="value"/>, a prefix of text counted as <paramref name="totalLength"/> characters, to <paramref name="maxLength"/>.</summary>
    private static string Truncate(string value, int totalLength, int maxLength)
    {
        var marker = "...[truncated " + (totalLength - maxLength).ToString(CultureInfo.InvariantCulture) + " chars]";
        var keep = Math.Max(0, maxLength - marker.Length);
        marker = "...[truncated " + (totalLength - keep).ToString(CultureInfo.InvariantCulture) + " chars]";
        keep = Math.Max(0, maxLength - marker.Length);
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return string.Concat(value.AsSpan(0, keep), marker);
    }

    private void CapPayload(EventData data, ref WalkState state)
    {
        var count = data.Count;
        var sizes = new int[count];
        var total = 2 + Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
        {
            sizes[i] = MeasureField(data.KeyAt(i), data.ValueAt(i));
            total += sizes[i];
        }

        var limit = _options.MaxPayloadBytes;
        if (total <= limit)
        {
            return;
        }

        var original = total;
        var note = $"payload of {original} bytes cut to fit {limit}";
        var noteSize = MeasureField(TruncatedField, note) + 1;

        // Replace the largest unprotected values first, then drop unprotected fields from the end if keys alone are too many.
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => sizes[b].CompareTo(sizes[a]));
        foreach (var i in order)
        {
            if (total + noteSize <= limit)
            {
                break;
            }

            var key = data.KeyAt(i);
            if (IsProtected(key))
            {
                continue;
            }

            var marker = $"[truncated: {sizes[i]} bytes]";
            var newSize = MeasureField(key, marker);
            if (newSize >= sizes[i])
            {
                continue;
            }

            data.SetValueAt(i, marker);
            total -= sizes[i] - newSize;
            sizes[i] = newSize;
        }

        for (var i = data.Count - 1; i >= 0 && total + noteSize > limit; i--)
        {
            var key = data.KeyAt(i);
            if (IsProtected(key))
            {
                continue;
            }

            total -= sizes[i] + 1;
            data.Remove(key);
            Array.Copy(sizes, i + 1, sizes, i, sizes.Length - i - 1);
        }

        data.Set(TruncatedField, note);
        state.Changes |= SanitizationChanges.PayloadTruncated;
    }

    private static bool IsProtected(string key)
    {
        foreach (var name in ProtectedFields)
        {
            if (string.Equals(name, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return string.Equals(key, TruncatedField, StringComparison.Ordinal);
    }

    private static int MeasureField(string key, object? value)
    {
        var buffer = t_measureBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_measureWriter ??= new Utf8JsonWriter(buffer, EventJsonWriter.WriterOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WritePropertyName(Utf16Text.Scrub(key));
        JsonValueWriter.WriteValue(writer, value);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenCount - 2;
    }

    private struct WalkState
    {
        public SanitizationChanges Changes;
        public long Estimate;
        public HashSet<object>? Path;
    }
}
