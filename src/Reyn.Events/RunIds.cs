using System.Globalization;
using System.Security.Cryptography;

namespace Reyn.Events;

/// <summary>
/// The run id format: <c>20260510T091500123456Z_my_skill_ab12</c>: UTC time to the microsecond first (so ids sort by
/// time), the skill name reduced to <c>[A-Za-z0-9_-]</c> (at most 40 characters), and 4 random hex characters.
/// </summary>
public static class RunIds
{
    /// <summary>Longest skill part of a run id.</summary>
    public const int MaxSkillLength = 40;

    private const string TimeFormat = "yyyyMMdd'T'HHmmssffffff'Z'";

    /// <summary>A new run id for <paramref name="skill"/> at the current UTC time.</summary>
    public static string New(string skill, TimeProvider? timeProvider = null) =>
        New(skill, (timeProvider ?? TimeProvider.System).GetUtcNow());

    /// <summary>A new run id for <paramref name="skill"/> at <paramref name="utcNow"/>.</summary>
    public static string New(string skill, DateTimeOffset utcNow)
    {
        var time = utcNow.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        Span<byte> random = stackalloc byte[2];
        RandomNumberGenerator.Fill(random);
        return $"{time}_{SafeSkill(skill)}_{Convert.ToHexStringLower(random)}";
    }

    /// <summary>
    /// <paramref name="skill"/> with every run of characters outside <c>[A-Za-z0-9_-]</c> replaced by one <c>_</c>,
    /// leading and trailing <c>_</c> trimmed, cut to <see cref="MaxSkillLength"/>; <c>skill</c> when nothing is left.
    /// </summary>
    public static string SafeSkill(string? skill)
    {
        if (string.IsNullOrEmpty(skill))
        {
            return "skill";
        }

        var builder = new System.Text.StringBuilder(Math.Min(skill.Length, 64));
        var lastWasUnderscore = false;
        foreach (var c in skill)
        {
            var safe = char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
            if (safe)
            {
                builder.Append(c);
                lastWasUnderscore = c == '_';
            }
            else if (!lastWasUnderscore)
            {
                builder.Append('_');
                lastWasUnderscore = true;
            }
        }

        var result = builder.ToString().Trim('_');
        if (result.Length > MaxSkillLength)
        {
            result = result[..MaxSkillLength];
        }

        return result.Length == 0 ? "skill" : result;
    }

    /// <summary>The UTC time at the start of a run id made by <see cref="New(string, DateTimeOffset)"/>, if it has one.</summary>
    public static bool TryGetTimestamp(string? runId, out DateTimeOffset utc)
    {
        utc = default;
        if (runId is null || runId.Length < TimeFormat.Length - 4)
        {
            return false;
        }

        // yyyyMMddTHHmmssffffffZ is 22 characters.
        if (runId.Length < 22 || !DateTime.TryParseExact(runId.AsSpan(0, 22), TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        utc = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }
}
