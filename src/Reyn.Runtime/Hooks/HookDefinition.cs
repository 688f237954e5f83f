namespace Reyn.Runtime.Hooks;

/// <summary>
/// One push hook: at <see cref="On"/>, render <see cref="Message"/> (a Handlebars template over the event context)
/// and push it to the agent, unless <see cref="PushWhen"/> renders false.
/// </summary>
/// <param name="On">The lifecycle point.</param>
/// <param name="Message">The Handlebars template of the pushed message, for example <c>Skill {{skill}} ended: {{status}}</c>.</param>
/// <param name="Wake"><see langword="true"/> (default): the push starts a new turn, bounded by the hook-driven-turn valve;
/// <see langword="false"/>: it rides along with the next turn.</param>
/// <param name="PushWhen">Optional Handlebars guard; the push is skipped when it renders empty, <c>false</c>, <c>0</c>,
/// <c>no</c>, <c>off</c>, <c>none</c> or <c>null</c>.</param>
/// <param name="Name">Optional label; the pushed text is prefixed with <c>[hook:name]</c>.</param>
public sealed record HookDefinition(HookPoint On, string Message, bool Wake = true, string? PushWhen = null, string? Name = null);
