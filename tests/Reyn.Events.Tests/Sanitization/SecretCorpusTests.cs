using Reyn.Events.Sanitization;
using Reyn.Events.Serialization;

namespace Reyn.Events.Tests.Sanitization;

/// <summary>Realistic payloads with realistic secrets: none of the secret strings may survive into the written line.</summary>
public sealed class SecretCorpusTests
{
    private static readonly string[] Secrets =
    [
        "ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0000",
        "github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXYZabcdefghij",
        "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2",
        "sk-ant-api03-Qw3rTy7Ui9Op1As2Df3Gh4Jk5",
        "xoxb-2401234567-8765432109876-AbCdEfGhIjKl",
        "AKIAZ7EXAMPLEKEY1234",
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXZhbHVlLWhlcmU",
        "s3cr3t-p4ss!",
        "Zm9vYmFyYmF6cXV4",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "c0rr3ct-h0rs3",
        "AIzaSyDUMMYKEY0123456789",
        "hunter2hunter2",
        "cookie-session-9f8e7d",
    ];

    public static TheoryData<string, EventData> Corpus() => new()
    {
        { "clone failure", new EventData { ["error"] = "fatal: could not read from https://alice:s3cr3t-p4ss!@github.com/acme/app.git", ["op"] = "git_clone" } },
        { "http headers", new EventData { ["request"] = new Dictionary<string, object?> { ["url"] = "https://api.acme.io/v2/items?page=1&api_key=AIzaSyDUMMYKEY0123456789", ["headers"] = new Dictionary<string, object?> { ["Authorization"] = "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXZhbHVlLWhlcmU", ["Cookie"] = "session=cookie-session-9f8e7d" } } } },
        { "env dump", new EventData { ["stdout"] = "HOME=/home/app\nGITHUB_TOKEN=ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0000\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nAWS_ACCESS_KEY_ID=AKIAZ7EXAMPLEKEY1234" } },
        { "llm prompt", new EventData { ["prompt"] = "Use the key sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2 to call the API and post to slack with xoxb-2401234567-8765432109876-AbCdEfGhIjKl" } },
        { "config", new EventData { ["mcp"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "github", ["env"] = new Dictionary<string, object?> { ["GITHUB_PERSONAL_ACCESS_TOKEN"] = "github_pat_11ABCDEFG0abcdefghijkl_MNOPQRSTUVWXYZabcdefghij" } }, new Dictionary<string, object?> { ["name"] = "db", ["dsn"] = "postgres://app:c0rr3ct-h0rs3@db:5432/prod" } } } },
        { "azure sas", new EventData { ["blob"] = "https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&se=2026-01-01&sig=Zm9vYmFyYmF6cXV4" } },
        { "anthropic key in error", new EventData { ["error"] = "401 Unauthorized: invalid x-api-key sk-ant-api03-Qw3rTy7Ui9Op1As2Df3Gh4Jk5" } },
        { "form", new EventData { ["form"] = new Dictionary<string, object?> { ["user"] = "alice", ["password"] = "hunter2hunter2", ["remember"] = true } } },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Sanitize_RealisticPayload_NoSecretSurvivesIntoTheLine(string name, EventData data)
    {
        new EventSanitizer(new SanitizerOptions()).Sanitize(data);

        var line = EventJsonWriter.ToJson(new ReynEvent(EventTypes.ToolFailed, DateTimeOffset.UnixEpoch, data));
        foreach (var secret in Secrets)
        {
            line.Should().NotContain(secret, $"case '{name}' leaked a secret");
            line.Should().NotContain(System.Text.Json.JsonEncodedText.Encode(secret).ToString(), $"case '{name}' leaked a secret");
        }

        line.Should().Contain("[redacted]", $"case '{name}' should show where something was removed");
    }
}
