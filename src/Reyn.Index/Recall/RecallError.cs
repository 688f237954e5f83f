namespace Reyn.Index;

/// <summary>A structured recall error for missing or invalid arguments: a stable code and a message saying how to fix it.</summary>
/// <param name="Code"><c>missing_query</c>, <c>missing_sources</c>, <c>invalid_source</c>, <c>invalid_top_k</c> or <c>invalid_filter</c>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record RecallError(string Code, string Message);
