namespace Reyn.Index;

/// <summary>Pass counts of one skill version.</summary>
/// <param name="VersionHash">The <c>skill_version_hash</c>.</param>
/// <param name="Passed">Successful runs.</param>
/// <param name="Runs">All completed runs.</param>
/// <param name="First">The first run's time.</param>
/// <param name="Last">The last run's time.</param>
public sealed record VersionPassRate(string VersionHash, int Passed, int Runs, DateTimeOffset First, DateTimeOffset Last)
{
    /// <summary>Passed / runs.</summary>
    public double PassRate => Runs == 0 ? 0 : (double)Passed / Runs;

    /// <summary>The first 8 characters of the hash.</summary>
    public string ShortHash => VersionHash.Length <= 8 ? VersionHash : VersionHash[..8];
}
