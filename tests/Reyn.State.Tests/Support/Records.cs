using System.Text.Json;

namespace Reyn.State.Tests.Support;

internal static class Records
{
    public static WalRecord Rec(long seq, string kind, object fields) =>
        new(seq, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seq), kind, JsonSerializer.SerializeToElement(fields));
}
