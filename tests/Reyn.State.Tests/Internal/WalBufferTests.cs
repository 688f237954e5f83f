using Reyn.State.Internal;

namespace Reyn.State.Tests.Internal;

public sealed class WalBufferTests
{
    private static void Fill(WalBuffer buffer, int count, byte value)
    {
        buffer.GetSpan(count)[..count].Fill(value);
        buffer.Advance(count);
    }

    [Fact]
    public void Growth_BelowTheLimit_Doubles()
    {
        var buffer = new WalBuffer(1024, growthLimit: 3000);

        Fill(buffer, 2000, 1);

        buffer.Capacity.Should().Be(2048);
    }

    [Fact]
    public void Growth_NearTheLimit_StopsAtTheLimitInsteadOfDoubling()
    {
        var buffer = new WalBuffer(1024, growthLimit: 3000);
        Fill(buffer, 2000, 1);

        Fill(buffer, 900, 2);

        buffer.Capacity.Should().Be(3000, "doubling 2048 would hold 4096 bytes for content that needs 2900");
        buffer.Span[..2000].ToArray().Should().OnlyContain(b => b == 1);
        buffer.Span[2000..].ToArray().Should().HaveCount(900).And.OnlyContain(b => b == 2);
    }

    [Fact]
    public void Growth_ContentPastTheLimit_StillFitsAndKeepsWhatWasWritten()
    {
        var buffer = new WalBuffer(1024, growthLimit: 3000);
        Fill(buffer, 2900, 1);

        Fill(buffer, 500, 2);

        buffer.Length.Should().Be(3400);
        buffer.Capacity.Should().BeGreaterThanOrEqualTo(3400);
        buffer.Span[..2900].ToArray().Should().OnlyContain(b => b == 1);
        buffer.Span[2900..].ToArray().Should().OnlyContain(b => b == 2);
    }
}
