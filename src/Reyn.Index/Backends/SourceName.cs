namespace Reyn.Index;

/// <summary>Validation of source names (they become directory names).</summary>
public static class SourceName
{
    /// <summary>Whether <paramref name="source"/> is a valid name: 1-64 of <c>[A-Za-z0-9_-]</c>, starting with a letter or digit.</summary>
    public static bool IsValid(string? source)
    {
        if (string.IsNullOrEmpty(source) || source.Length > 64 || !char.IsAsciiLetterOrDigit(source[0]))
        {
            return false;
        }

        foreach (var c in source)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a fix-it message when <paramref name="source"/> is invalid.</summary>
    public static void ThrowIfInvalid(string? source)
    {
        if (!IsValid(source))
        {
            throw new ArgumentException(
                $"Invalid index source name '{source}'. Use 1-64 letters, digits, '_' or '-', starting with a letter or digit (for example \"events\").",
                nameof(source));
        }
    }
}
