using System.Text;
using Microsoft.Data.Sqlite;
using Reyn.Cli.Tests.Events.Support;
using Reyn.Events;
using Reyn.Events.ActivityStore;
using Reyn.Events.Sanitization;

namespace Reyn.Cli.Tests.Events;

/// <summary>
/// No secret reaches the activity store or the CLI JSON: a corpus of realistic secrets goes through the real path
/// (EventLog, pipeline with the sanitizer, ActivitySink) and is read back with list and search, via the store API and
/// via <c>reyn events ... --json</c>, including searching for each secret itself.
/// </summary>
public sealed class ActivitySecretsCorpusTests : IDisposable
{
    private const string GithubToken = "ghp_R8x2Lq9ZtW4mN7vB1cK5hJ3sD6fG0aY8pQ2e";
    private const string GithubPat = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ";
    private const string OpenAiKey = "sk-proj-Vx7Kq2Lm9Nz4Rt8Wy3Bc6Df1Gh5Jk0Mp";
    private const string SlackToken = "xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrSt";
    private const string AwsKey = "AKIAIOSFODNN7EXAMPL3";
    private const string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private const string UrlPassword = "Tr0ub4dor3xyzzy";
    private const string QueryToken = "qs7TokenValue9981";
    private const string NestedPassword = "nested-P4ssw0rd-4471";
    private const string ArrayApiKey = "arr-apikey-5590-zzkk";
    private const string EnvSecret = "envS3cretValue2288";
    private const string BearerToken = "bearerTok3nAbcdefXyz12345";
    private const string CookieValue = "session=cookieVal9x8y7z";
    private const string PrivateKey = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    private const string Credential = "credValue-77aa-91bb";
    private const string ConfigPassword = "cfgPassw0rd-6612";
    private const string ConnectionPassword = "Conn3ctionPwd-8841";
    private const string AzureAccountKey = "Azur3AccountKeyValue0123456789abcd==";
    private const string AwsSecretLower = "lowerAwsSecret/K7MDENG/bPxRfiCYz";
    private const string StripeKey = "sk_live_51H8abcdefghijklmnopqrstuvwx";
    private const string GoogleKey = "AIzaSyD-abcdefghijklmnopqrstuvwxyz01234";
    private const string PemBody = "MIIEowIBAAKCAQEA7Xq9pemBodyLine1";

    private static readonly string[] Secrets =
    [
        GithubToken, GithubPat, OpenAiKey, SlackToken, AwsKey, Jwt, UrlPassword, QueryToken, NestedPassword, ArrayApiKey,
        EnvSecret, BearerToken, "cookieVal9x8y7z", PrivateKey, Credential, ConfigPassword, ConnectionPassword, AzureAccountKey,
        AwsSecretLower, StripeKey, GoogleKey, PemBody,
    ];

    private readonly EventsCliFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Secrets_EmittedThroughRealPath_NeverReachStoreSearchOrCliJson()
    {
        await EmitCorpusAsync();
        var store = new SqliteActivityStore(_f.DbPath);

        var listed = await store.ListAsync(new ActivityQuery { Limit = 1000 });
        listed.Events.Should().HaveCount(5);
        var stored = string.Join('\n', listed.Events.Select(e => e.Summary + "\n" + e.Data));
        stored.Should().Contain("[redacted]");
        foreach (var secret in Secrets)
        {
            stored.Should().NotContain(secret, "no secret reaches the store");
            (await store.SearchAsync(secret, new ActivityQuery())).Events.Should().BeEmpty($"searching for the secret {secret} itself finds nothing");
            (await store.SearchAsync($"\"{secret}\"", new ActivityQuery())).Events.Should().BeEmpty();
        }

        (await store.SearchAsync("github.com", new ActivityQuery())).Events.Should().NotBeEmpty("the host of a credential URL is kept, so the event stays findable");

        SqliteConnection.ClearAllPools();
        var fileText = ReadStoreFiles();
        foreach (var secret in Secrets)
        {
            fileText.Should().NotContain(secret, "no secret is anywhere in the database files, FTS index included");
        }

        var list = await _f.RunAsync("events", "list", "--limit", "1000", "--json");
        list.ExitCode.Should().Be(0, list.Error);
        list.Out.Should().Contain("[redacted]");
        foreach (var secret in Secrets)
        {
            list.Out.Should().NotContain(secret);
            var search = await _f.RunAsync("events", "search", secret, "--json");
            search.ExitCode.Should().Be(0, search.Error);
            using var json = search.Json();
            json.RootElement.GetProperty("meta").GetProperty("resultCount").GetInt32().Should().Be(0, $"searching for {secret} finds nothing");
        }
    }

    private async Task EmitCorpusAsync()
    {
        var sink = new ActivitySink(_f.DbPath);
        var pipeline = new EventPipeline(new EventSanitizer(new SanitizerOptions()));
        pipeline.AddSink(sink);
        var log = new EventLog(pipeline, new EventContext(RunId: "run-secrets", Agent: "coder"));

        log.Emit(EventTypes.ToolFailed, new EventData
        {
            ["op"] = "git_clone",
            ["error"] = $"clone failed for https://alice:{UrlPassword}@github.com/org/repo.git (token {GithubToken})",
            ["github_token"] = GithubToken,
            ["callback"] = $"https://hooks.example.com/notify?access_token={QueryToken}&x=1",
            ["headers"] = new Dictionary<string, object?> { ["Authorization"] = $"Bearer {BearerToken}", ["Cookie"] = CookieValue },
        });
        log.Emit(EventTypes.LlmCalled, new EventData
        {
            ["model"] = "gpt",
            ["phase"] = "plan",
            ["note"] = $"used {OpenAiKey} and {SlackToken} and {AwsKey}",
            ["jwt_in_text"] = $"auth header was {Jwt}",
            ["pat"] = $"pat {GithubPat}",
        });
        log.Emit(EventTypes.ConfigReloaded, new EventData
        {
            ["config"] = new Dictionary<string, object?>
            {
                ["db"] = new Dictionary<string, object?> { ["host"] = "db.internal", ["password"] = NestedPassword },
                ["servers"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["name"] = "a", ["api_key"] = ArrayApiKey },
                    $"Bearer {BearerToken}",
                },
                ["private_key"] = PrivateKey,
                ["credential"] = Credential,
            },
        });
        log.Emit(EventTypes.ToolReturned, new EventData
        {
            ["op"] = "shell",
            ["stdout"] = $"export DATABASE_PASSWORD={EnvSecret}\nAPI_SECRET={EnvSecret}",
        });
        log.Emit(EventTypes.ToolReturned, new EventData
        {
            ["op"] = "read_file",
            ["content"] = $"""
                db:
                  password: {ConfigPassword}
                connection: Server=db;User Id=app;Password={ConnectionPassword};Encrypt=true
                storage: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={AzureAccountKey};EndpointSuffix=core.windows.net
                aws_secret_access_key = {AwsSecretLower}
                stripe: {StripeKey} maps: {GoogleKey}
                -----BEGIN RSA PRIVATE KEY-----
                {PemBody}
                -----END RSA PRIVATE KEY-----
                """,
        });

        await pipeline.FlushAsync();
        await sink.DisposeAsync();
        sink.DroppedCount.Should().Be(0);
    }

    private string ReadStoreFiles()
    {
        var builder = new StringBuilder();
        foreach (var file in Directory.GetFiles(_f.Root, "events.db*"))
        {
            builder.Append(Encoding.UTF8.GetString(File.ReadAllBytes(file)));
        }

        return builder.ToString();
    }
}
