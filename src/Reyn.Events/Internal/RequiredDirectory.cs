namespace Reyn.Events.Internal;

/// <summary>Creates a directory a component cannot work without, or says which one and how to point it elsewhere.</summary>
internal static class RequiredDirectory
{
    /// <param name="path">The directory.</param>
    /// <param name="what">What it holds, as in "the {what} directory" (for example <c>WAL</c>).</param>
    /// <param name="remedy">The setting to change, phrased as an instruction.</param>
    /// <exception cref="IOException">The directory cannot be created; the message names it, the cause and the remedy.</exception>
    public static void Create(string path, string what, string remedy)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"The {what} directory '{path}' could not be created: {ex.Message} {remedy}", ex);
        }
    }
}
