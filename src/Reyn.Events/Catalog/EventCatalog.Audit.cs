namespace Reyn.Events;

public static partial class EventCatalog
{
    /// <summary>
    /// The required audit fields of <paramref name="evt"/>'s kind that it lacks (absent, <see langword="null"/> or an
    /// empty string), in catalog order. Empty for a complete event; for a type outside the catalog, the single entry
    /// <c>(unknown type)</c>.
    /// </summary>
    public static IReadOnlyList<string> MissingRequiredFields(ReynEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (!ByType.TryGetValue(evt.Type, out var kind))
        {
            return ["(unknown type)"];
        }

        List<string>? missing = null;
        foreach (var field in kind.RequiredFields)
        {
            if (!evt.Data.TryGetValue(field, out var value) || value is null || value is string { Length: 0 })
            {
                (missing ??= []).Add(field);
            }
        }

        return missing ?? (IReadOnlyList<string>)[];
    }
}
