namespace Reyn.Events.Tests.Emitter;

public sealed class EventDataTests
{
    [Fact]
    public void Lookups_KeysOfEveryLengthIncludingCollisionsModulo64_FoundAndMissedCorrectly()
    {
        var data = new EventData();
        var keys = Enumerable.Range(1, 130).Where(n => n % 3 == 0).Select(n => new string('k', n)).ToList();
        foreach (var key in keys)
        {
            data[key] = key.Length;
        }

        foreach (var key in keys)
        {
            data.ContainsKey(key).Should().BeTrue();
            data[key].Should().Be(key.Length);
            data.ContainsKey(key.Replace('k', 'x')).Should().BeFalse(); // same length, other text
        }

        data.ContainsKey(new string('k', 1)).Should().BeFalse();
        data.ContainsKey(new string('k', 64)).Should().BeFalse(); // 64 mod 64 = 0: no key of length 0 or 64 was added
        data.ContainsKey(string.Empty).Should().BeFalse();
    }

    [Fact]
    public void SetIfAbsent_AfterRemoveAndInClone_SeesExactlyThePresentKeys()
    {
        var data = new EventData { ["run_id"] = "caller", ["agent"] = "a" };

        data.SetIfAbsent("run_id", "stamp").Should().BeFalse();
        data.Remove("run_id").Should().BeTrue();
        data.ContainsKey("run_id").Should().BeFalse();
        data.SetIfAbsent("run_id", "stamp").Should().BeTrue();
        data["run_id"].Should().Be("stamp");

        var copy = data.Clone();
        copy.SetIfAbsent("agent", "other").Should().BeFalse();
        copy.SetIfAbsent("skill", "s").Should().BeTrue();
        copy.Select(p => p.Key).Should().Equal("agent", "run_id", "skill");
        data.ContainsKey("skill").Should().BeFalse();
    }
}
