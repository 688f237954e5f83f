namespace Reyn.Runtime.Hooks;

/// <summary>One rendered push, ready to be delivered to the agent.</summary>
/// <param name="On">The lifecycle point that fired it.</param>
/// <param name="Name">The hook's name, or <see langword="null"/>.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="Wake">Whether it starts a new turn (false: it rides along with the next turn).</param>
/// <param name="ValveClosed">Whether it was configured to wake but the hook-driven-turn valve turned it into a ride-along.</param>
public sealed record HookPush(HookPoint On, string? Name, string Message, bool Wake, bool ValveClosed = false)
{
    /// <summary>The text as shown in history: <c>[hook:name] message</c>, or the message alone for an unnamed hook.</summary>
    public string Text => Name is null ? Message : $"[hook:{Name}] {Message}";
}
