using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Reyn.Events;

/// <summary>
/// The flat payload of a <see cref="ReynEvent"/>: an insertion-ordered map from field name to value.
/// </summary>
/// <remarks>
/// <para>Values may be <see langword="null"/>, strings, booleans, numbers, <see cref="DateTimeOffset"/>,
/// <see cref="Guid"/>, <see cref="System.Text.Json.JsonElement"/>, nested <see cref="IDictionary{TKey, TValue}"/>
/// with string keys, or sequences of those. Anything else is written with its <see cref="object.ToString"/>.</para>
/// <para>Event payloads have a handful of fields, so lookups are linear over two small arrays: cheaper than hashing
/// at this size and allocation-free once the capacity fits.</para>
/// <para>Passing an instance to <see cref="EventLog.Emit(string, EventData?)"/> hands it over: the emitter stamps and
/// sanitizes it in place. Do not reuse it for another event.</para>
/// </remarks>
public sealed class EventData : IEnumerable<KeyValuePair<string, object?>>
{
    private string[] _keys;
    private object?[] _values;
    private int _count;

    // One bit per key length (mod 64) ever added: a lookup of a key whose length has no bit is a miss without a scan,
    // which is what the emitter's context stamps (run_id, agent, ...) mostly are. Never cleared on removal (a stale
    // bit only costs the scan).
    private ulong _keyLengths;

    /// <summary>Creates an empty payload.</summary>
    public EventData() : this(8)
    {
    }

    /// <summary>Creates an empty payload with room for <paramref name="capacity"/> fields.</summary>
    public EventData(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _keys = capacity == 0 ? [] : new string[capacity];
        _values = capacity == 0 ? [] : new object?[capacity];
    }

    /// <summary>The number of fields.</summary>
    public int Count => _count;

    /// <summary>Gets or sets a field. Setting replaces an existing value in place or appends a new field.</summary>
    /// <exception cref="KeyNotFoundException">Getting a field that is not present.</exception>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The event has no field '{key}'.");
        set => Set(key, value);
    }

    /// <summary>Adds a field (collection-initializer form); replaces the value if the field exists.</summary>
    public void Add(string key, object? value) => Set(key, value);

    /// <summary>Sets a field, replacing any existing value.</summary>
    public void Set(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var index = IndexOf(key);
        if (index >= 0)
        {
            _values[index] = value;
            return;
        }

        Append(key, value);
    }

    /// <summary>Sets a field only when it is not present already (the caller's value wins).</summary>
    /// <returns><see langword="true"/> if the field was added.</returns>
    public bool SetIfAbsent(string key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (IndexOf(key) >= 0)
        {
            return false;
        }

        Append(key, value);
        return true;
    }

    /// <summary>Removes a field.</summary>
    /// <returns><see langword="true"/> if the field was present.</returns>
    public bool Remove(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }

        _count--;
        Array.Copy(_keys, index + 1, _keys, index, _count - index);
        Array.Copy(_values, index + 1, _values, index, _count - index);
        _keys[_count] = null!;
        _values[_count] = null;
        return true;
    }

    /// <summary>Whether the payload has the field.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Gets a field's value.</summary>
    public bool TryGetValue(string key, out object? value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _values[index];
        return true;
    }

    /// <summary>Gets a field as a string: strings as they are, other values formatted invariantly, absent as <see langword="null"/>.</summary>
    public string? GetString(string key) => TryGetValue(key, out var value) ? value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    } : null;

    /// <summary>The key at position <paramref name="index"/> (insertion order).</summary>
    public string KeyAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _keys[index];
    }

    /// <summary>The value at position <paramref name="index"/> (insertion order).</summary>
    public object? ValueAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _values[index];
    }

    /// <summary>Replaces the value at position <paramref name="index"/>; used by the sanitizer.</summary>
    public void SetValueAt(int index, object? value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        _values[index] = value;
    }

    /// <summary>A shallow copy of the payload.</summary>
    public EventData Clone()
    {
        var copy = new EventData(_count);
        Array.Copy(_keys, copy._keys, _count);
        Array.Copy(_values, copy._values, _count);
        copy._count = _count;
        copy._keyLengths = _keyLengths;
        return copy;
    }

    /// <summary>Enumerates the fields in insertion order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        if ((_keyLengths & (1UL << key.Length)) == 0)
        {
            return -1;
        }

        var keys = _keys;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private void Append(string key, object? value)
    {
        if (_count == _keys.Length)
        {
            var size = Math.Max(4, _count * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _values, size);
        }

        _keys[_count] = key;
        _values[_count] = value;
        _keyLengths |= 1UL << key.Length;
        _count++;
    }

    /// <summary>Allocation-free enumerator over the fields.</summary>
    [SuppressMessage("Performance", "CA1815", Justification = "Enumerators are not compared.")]
    public struct Enumerator : IEnumerator<KeyValuePair<string, object?>>
    {
        private readonly EventData _data;
        private int _index;

        internal Enumerator(EventData data)
        {
            _data = data;
            _index = -1;
        }

        /// <inheritdoc />
        public readonly KeyValuePair<string, object?> Current => new(_data._keys[_index], _data._values[_index]);

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => ++_index < _data._count;

        /// <inheritdoc />
        public void Reset() => _index = -1;

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
