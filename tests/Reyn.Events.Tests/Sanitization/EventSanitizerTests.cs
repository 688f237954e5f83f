using System.Text.Json;
using Reyn.Events.Sanitization;
using Reyn.Events.Serialization;

namespace Reyn.Events.Tests.Sanitization;

public sealed class EventSanitizerTests
{
    private readonly EventSanitizer _sanitizer = new(new SanitizerOptions());

    [Theory]
    [InlineData("token"), InlineData("access_token"), InlineData("GitHubToken"), InlineData("password"), InlineData("db_PASSWORD")]
    [InlineData("client_secret"), InlineData("Authorization"), InlineData("set-cookie"), InlineData("api-key"), InlineData("x_api_key")]
    [InlineData("apikey"), InlineData("private_key"), InlineData("credential"), InlineData("aws_credentials")]
    public void Sanitize_SecretNamedKey_ValueRedactedWhateverItsType(string key)
    {
        var data = new EventData { [key] = new Dictionary<string, object?> { ["inner"] = "x" }, ["other"] = "kept" };

        var changes = _sanitizer.Sanitize(data);

        data[key].Should().Be("[redacted]");
        data["other"].Should().Be("kept");
        changes.Should().HaveFlag(SanitizationChanges.Redacted);
    }

    [Fact]
    public void Sanitize_SecretKeyDeepInNestedContainers_RedactedAtAnyDepth()
    {
        var data = new EventData
        {
            ["config"] = new Dictionary<string, object?>
            {
                ["servers"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "gh", ["env"] = new EventData { ["GITHUB_TOKEN"] = "abc", ["HOME"] = "/root" } } },
            },
        };

        _sanitizer.Sanitize(data);

        var json = JsonDocument.Parse(EventJsonWriter.ToJson(new ReynEvent("x", DateTimeOffset.UnixEpoch, data))).RootElement;
        var env = json.GetProperty("data").GetProperty("config").GetProperty("servers")[0].GetProperty("env");
        env.GetProperty("GITHUB_TOKEN").GetString().Should().Be("[redacted]");
        env.GetProperty("HOME").GetString().Should().Be("/root");
    }

    [Fact]
    public void Sanitize_NestedCallerContainers_CopiedNotMutated()
    {
        var inner = new Dictionary<string, object?> { ["password"] = "hunter2" };
        var list = new List<object?> { "Bearer abcdefghijklmnop" };
        var data = new EventData { ["inner"] = inner, ["list"] = list };

        _sanitizer.Sanitize(data);

        inner["password"].Should().Be("hunter2", "the caller's dictionary is not touched");
        list[0].Should().Be("Bearer abcdefghijklmnop");
        ((EventData)data["inner"]!)["password"].Should().Be("[redacted]");
        ((List<object?>)data["list"]!)[0].Should().Be("Bearer [redacted]");
    }

    [Fact]
    public void Sanitize_JsonElementPayload_WalkedAndRedacted()
    {
        using var doc = JsonDocument.Parse("{\"headers\":{\"Authorization\":\"Basic xyz\"},\"url\":\"https://u:p@h.example/x\",\"n\":3}");
        var data = new EventData { ["request"] = doc.RootElement.Clone() };

        _sanitizer.Sanitize(data);

        var request = (EventData)data["request"]!;
        ((EventData)request["headers"]!)["Authorization"].Should().Be("[redacted]");
        request["url"].Should().Be("https://[redacted]@h.example/x");
        ((JsonElement)request["n"]!).GetInt32().Should().Be(3);
    }

    [Fact]
    public void Sanitize_TokenCountFields_NumbersKept()
    {
        var data = new EventData { ["prompt_tokens"] = 120L, ["completion_tokens"] = 30, ["max_tokens"] = "4096", ["token_secret_count"] = 5 };

        _sanitizer.Sanitize(data);

        data["prompt_tokens"].Should().Be(120L);
        data["completion_tokens"].Should().Be(30);
        data["max_tokens"].Should().Be("[redacted]", "only numbers are exempt");
        data["token_secret_count"].Should().Be("[redacted]", "secret is a second secret word");
    }

    [Fact]
    public void Sanitize_CyclicPayload_CycleReplacedWithMarkerAndCounted()
    {
        var a = new Dictionary<string, object?> { ["name"] = "a" };
        var b = new List<object?> { a };
        a["self"] = a;
        a["list"] = b;
        var data = new EventData { ["graph"] = a };

        var changes = _sanitizer.Sanitize(data);

        changes.Should().HaveFlag(SanitizationChanges.StructureCut);
        var json = EventJsonWriter.ToJson(new ReynEvent("x", DateTimeOffset.UnixEpoch, data));
        json.Should().Contain("\"self\":\"[circular]\"").And.Contain("\"list\":[\"[circular]\"]");
    }

    [Fact]
    public void Sanitize_SharedButAcyclicReference_NotMarkedCircular()
    {
        var shared = new Dictionary<string, object?> { ["v"] = 1 };
        var data = new EventData { ["a"] = shared, ["b"] = shared };

        _sanitizer.Sanitize(data);

        ((EventData)data["b"]!)["v"].Should().Be(1);
    }

    [Fact]
    public void Sanitize_NestingDeeperThanMaxDepth_ReplacedWithDepthMarker()
    {
        var sanitizer = new EventSanitizer(new SanitizerOptions { MaxDepth = 3 });
        var data = new EventData { ["l1"] = new EventData { ["l2"] = new EventData { ["l3"] = new EventData { ["l4"] = "deep" } } } };

        var changes = sanitizer.Sanitize(data);

        changes.Should().HaveFlag(SanitizationChanges.StructureCut);
        EventJsonWriter.ToJson(new ReynEvent("x", DateTimeOffset.UnixEpoch, data)).Should().Contain("\"l3\":\"[depth limit]\"").And.NotContain("deep");
    }

    [Fact]
    public void Sanitize_LongString_CappedAtMaxWithVisibleMarker()
    {
        var data = new EventData { ["text"] = new string('a', 2000) };

        var changes = _sanitizer.Sanitize(data);

        var text = (string)data["text"]!;
        text.Length.Should().BeLessThanOrEqualTo(500);
        text.Should().StartWith("aaaa").And.MatchRegex(@"\.\.\.\[truncated \d+ chars\]$");
        int.Parse(System.Text.RegularExpressions.Regex.Match(text, @"truncated (\d+)").Groups[1].Value).Should().Be(2000 - text.IndexOf("...", StringComparison.Ordinal));
        changes.Should().HaveFlag(SanitizationChanges.StringTruncated);
    }

    [Fact]
    public void Sanitize_CapFallsInsideSurrogatePair_PairNotSplit()
    {
        var sanitizer = new EventSanitizer(new SanitizerOptions { MaxStringLength = 40 });
        var data = new EventData { ["text"] = string.Concat(Enumerable.Repeat("😀", 100)) };

        sanitizer.Sanitize(data);

        var text = (string)data["text"]!;
        text.Should().NotContain("\uFFFD");
        char.IsHighSurrogate(text[text.IndexOf("...", StringComparison.Ordinal) - 1]).Should().BeFalse();
    }

    [Fact]
    public void Sanitize_PayloadOverLimit_LargestFieldsCutWithMarkerAndCorrelationKept()
    {
        var data = new EventData { ["run_id"] = "r1", ["audit_seq"] = 7L, ["small"] = "keep me" };
        for (var i = 0; i < 60; i++)
        {
            data[$"field{i}"] = new string((char)('a' + (i % 26)), 450);
        }

        var changes = _sanitizer.Sanitize(data);

        changes.Should().HaveFlag(SanitizationChanges.PayloadTruncated);
        var json = EventJsonWriter.ToJson(new ReynEvent("x", DateTimeOffset.UnixEpoch, data));
        var dataJson = JsonDocument.Parse(json).RootElement.GetProperty("data").GetRawText();
        System.Text.Encoding.UTF8.GetByteCount(dataJson).Should().BeLessThanOrEqualTo(16 * 1024);
        data["run_id"].Should().Be("r1");
        data["audit_seq"].Should().Be(7L);
        data["small"].Should().Be("keep me");
        ((string)data[EventSanitizer.TruncatedField]!).Should().Contain("cut to fit 16384");
        data.Count(kv => kv.Value is string s && s.StartsWith("[truncated:", StringComparison.Ordinal)).Should().BeGreaterThan(0);
    }

    [Fact]
    public void Sanitize_ManySmallFieldsOverLimit_FieldsDroppedUntilItFits()
    {
        var data = new EventData { ["run_id"] = "r1" };
        for (var i = 0; i < 3000; i++)
        {
            data[$"k{i}"] = i;
        }

        _sanitizer.Sanitize(data);

        var json = EventJsonWriter.ToJson(new ReynEvent("x", DateTimeOffset.UnixEpoch, data));
        var dataJson = JsonDocument.Parse(json).RootElement.GetProperty("data").GetRawText();
        System.Text.Encoding.UTF8.GetByteCount(dataJson).Should().BeLessThanOrEqualTo(16 * 1024);
        data["run_id"].Should().Be("r1");
        data.ContainsKey(EventSanitizer.TruncatedField).Should().BeTrue();
    }

    [Fact]
    public void Sanitize_LoneSurrogates_ReplacedAndReported()
    {
        var data = new EventData { ["text"] = "bad\uD800end" };

        var changes = _sanitizer.Sanitize(data);

        data["text"].Should().Be("bad\uFFFDend");
        changes.Should().HaveFlag(SanitizationChanges.InvalidTextReplaced);
    }

    [Fact]
    public void Sanitize_ObjectWhoseToStringThrows_ReplacedWithMarker()
    {
        var data = new EventData { ["thing"] = new Exploding() };

        var changes = _sanitizer.Sanitize(data);

        data["thing"].Should().Be("[unserializable Exploding: InvalidOperationException]");
        changes.Should().HaveFlag(SanitizationChanges.UnserializableValue);
    }

    [Fact]
    public void Sanitize_CleanPayload_NoChangesAndSameInstances()
    {
        var text = "plain text without secrets";
        var data = new EventData { ["text"] = text, ["n"] = 1, ["ok"] = true };

        var changes = _sanitizer.Sanitize(data);

        changes.Should().Be(SanitizationChanges.None);
        data["text"].Should().BeSameAs(text);
    }

    [Theory]
    [InlineData(10, 16384, 8, "MaxStringLength")]
    [InlineData(500, 100, 8, "MaxPayloadBytes")]
    [InlineData(500, 16384, 0, "MaxDepth")]
    public void Constructor_InvalidLimits_ThrowsNamingTheOption(int maxString, int maxPayload, int maxDepth, string option)
    {
        var act = () => new EventSanitizer(new SanitizerOptions { MaxStringLength = maxString, MaxPayloadBytes = maxPayload, MaxDepth = maxDepth });

        act.Should().Throw<ArgumentException>().WithMessage($"*{option}*");
    }

    private sealed class Exploding
    {
        public override string ToString() => throw new InvalidOperationException("boom");
    }
}
