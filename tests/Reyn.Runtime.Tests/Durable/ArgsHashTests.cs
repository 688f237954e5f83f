using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Reyn.Runtime.Tests.Durable;

public sealed class ArgsHashTests
{
    [Fact]
    public void Compute_KeyOrder_DoesNotMatter_AtAnyDepth()
    {
        var a = JsonNode.Parse("{\"b\":1,\"a\":{\"y\":[1,{\"q\":2,\"p\":1}],\"x\":\"s\"}}");
        var b = JsonNode.Parse("{\"a\":{\"x\":\"s\",\"y\":[1,{\"p\":1,\"q\":2}]},\"b\":1}");

        ArgsHash.Compute(a).Should().Be(ArgsHash.Compute(b));
        ArgsHash.CanonicalJson(a).Should().Be("{\"a\":{\"x\":\"s\",\"y\":[1,{\"p\":1,\"q\":2}]},\"b\":1}");
    }

    [Fact]
    public void Compute_Is16HexOfSha256OfCanonicalJson()
    {
        var hash = ArgsHash.Compute(JsonNode.Parse("{\"path\":\"a.txt\"}"));

        hash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("{\"path\":\"a.txt\"}")))[..16]);
        hash.Should().MatchRegex("^[0-9a-f]{16}$");
    }

    [Fact]
    public void Compute_DifferentValues_DifferentHash_ArrayOrderMatters()
    {
        ArgsHash.Compute(JsonNode.Parse("{\"a\":[1,2]}")).Should().NotBe(ArgsHash.Compute(JsonNode.Parse("{\"a\":[2,1]}")));
        ArgsHash.Compute(JsonNode.Parse("{\"a\":1}")).Should().NotBe(ArgsHash.Compute(JsonNode.Parse("{\"a\":2}")));
    }
}
