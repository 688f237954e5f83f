namespace Reyn.Runtime.HotReload;

/// <summary>
/// The only way <see cref="InSetLoader"/> reads a file. The loader passes nothing but the fixed IN-set paths it builds
/// itself; a test can record every path it is asked for.
/// </summary>
public interface IInSetFileReader
{
    /// <summary>Reads a whole file as UTF-8 text; returns <see langword="null"/> when the file does not exist.</summary>
    /// <exception cref="IOException">The path exists but cannot be read as a regular file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    string? ReadText(string path);
}
