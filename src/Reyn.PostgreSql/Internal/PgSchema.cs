namespace Reyn.PostgreSql.Internal;

/// <summary>Validation and quoting of the schema name every table lives in.</summary>
internal static class PgSchema
{
    /// <summary>Whether <paramref name="name"/> is a plain identifier: 1-63 of <c>[a-z0-9_]</c>, starting with a letter or '_'.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 63 || !(name[0] is (>= 'a' and <= 'z') or '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static string ThrowIfInvalid(string? name) => IsValid(name)
        ? name!
        : throw new ArgumentException(
            $"Invalid PostgreSQL schema name '{name}'. Use 1-63 lower-case letters, digits or '_', starting with a letter or '_' (for example \"reyn\").",
            nameof(name));
}
