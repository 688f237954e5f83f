namespace Reyn.Index;

/// <summary>How often a run called one op.</summary>
/// <param name="Op">The op name (<c>grep</c>, <c>read_file</c>...).</param>
/// <param name="Count">Calls.</param>
public readonly record struct ToolCallCount(string Op, int Count);
