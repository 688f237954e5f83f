using System.Runtime.CompilerServices;

namespace Reyn.Events.Internal;

/// <summary>
/// A small, lossy, thread-safe set of string <em>instances</em> (by reference) already known to pass a check.
/// Strings are immutable, so a reference seen before has the same content: stamped context values, literal keys and
/// literal payload values skip repeated scans. Collisions simply overwrite a slot (a miss costs one normal check).
/// </summary>
internal sealed class StringReferenceCache
{
    private const int Size = 256;
    private readonly string?[] _slots = new string?[Size];

    public bool Contains(string value) => ReferenceEquals(Volatile.Read(ref _slots[Slot(value)]), value);

    public void Add(string value) => Volatile.Write(ref _slots[Slot(value)], value);

    private static int Slot(string value) => RuntimeHelpers.GetHashCode(value) & (Size - 1);
}
