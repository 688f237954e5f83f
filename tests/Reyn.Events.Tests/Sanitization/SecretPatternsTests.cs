using System.Text.RegularExpressions;
using Reyn.Events.Sanitization;

namespace Reyn.Events.Tests.Sanitization;

public sealed class SecretPatternsTests
{
    [Theory]
    [InlineData("clone https://user:pa55@github.com/org/repo.git", "clone https://[redacted]@github.com/org/repo.git")]
    [InlineData("HTTPS://token@example.com/path", "HTTPS://[redacted]@example.com/path")]
    [InlineData("postgres://admin:s3cr3t@db.internal:5432/app", "postgres://[redacted]@db.internal:5432/app")]
    [InlineData("git+ssh://git:x@host/r", "git+ssh://[redacted]@host/r")]
    [InlineData("https://user:p@ss@host/x", "https://[redacted]@host/x")]
    [InlineData("https://example.com/a@b", "https://example.com/a@b")]
    [InlineData("mail me at a@b.c, see http://example.com", "mail me at a@b.c, see http://example.com")]
    public void Redact_CredentialUrl_UserInfoReplaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("GET https://api.x.io/v1?token=abc123&page=2", "GET https://api.x.io/v1?token=[redacted]&page=2")]
    [InlineData("/cb?code=1&access_token=eyz.12&x=1", "/cb?code=[redacted]&access_token=[redacted]&x=1")]
    [InlineData("https://maps.example/?key=AIzaSyA1&q=paris", "https://maps.example/?key=[redacted]&q=paris")]
    [InlineData("https://blob.core/x?sv=2020&sig=Zm9vYmFy%3D", "https://blob.core/x?sv=2020&sig=[redacted]")]
    [InlineData("?API_KEY=k1", "?API_KEY=[redacted]")]
    [InlineData("https://example.com/?monkey=banana&q=1", "https://example.com/?monkey=banana&q=1")]
    public void Redact_SecretQueryParameter_ValueReplaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("Authorization: Bearer abc.def-ghi_jkl~mno", "Authorization: Bearer [redacted]")]
    [InlineData("bearer   abcdefgh12345678==", "Bearer [redacted]")]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ0123", "[redacted]")]
    [InlineData("use github_pat_11AAAAAAA0123456789_abcdefghijklmnop now", "use [redacted] now")]
    [InlineData("key sk-proj-abcdefghijklmnop1234", "key [redacted]")]
    [InlineData("sk-ant-api03-abcdefghijklmnopqrstu", "[redacted]")]
    [InlineData("slack xoxb-1234567890-abcdef", "slack [redacted]")]
    [InlineData("aws AKIAIOSFODNN7EXAMPLE done", "aws [redacted] done")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end", "jwt [redacted] end")]
    public void Redact_TokenShape_Replaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("export OPENAI_API_KEY=sk-xyz", "export OPENAI_API_KEY=[redacted]")]
    [InlineData("DB_PASSWORD=\"hunter2\" rest", "DB_PASSWORD=\"[redacted]\" rest")]
    [InlineData("MY_SECRET: abcdefgh", "MY_SECRET: [redacted]")]
    [InlineData("SLACK_BOT_TOKEN=abc;next", "SLACK_BOT_TOKEN=[redacted];next")]
    [InlineData("TOKEN=abcdef", "TOKEN=[redacted]")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG", "AWS_SECRET_ACCESS_KEY=[redacted]")]
    public void Redact_UpperCaseSecretAssignment_ValueReplaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("password: hunter2", "password: [redacted]")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = [redacted]")]
    [InlineData("Server=db;User Id=sa;Password=P@ssw0rd123;Encrypt=true", "Server=db;User Id=sa;Password=[redacted];Encrypt=true")]
    [InlineData("AccountName=acct;AccountKey=abcd1234abcd1234abcd==;EndpointSuffix=core.windows.net", "AccountName=acct;AccountKey=[redacted];EndpointSuffix=core.windows.net")]
    [InlineData("{\"client_secret\": \"s3cr3t-v4lue\", \"id\": 1}", "{\"client_secret\": \"[redacted]\", \"id\": 1}")]
    [InlineData("refresh-token=abc123; path=/", "refresh-token=[redacted]; path=/")]
    [InlineData("private_key: MIIEvQIBADANBgkq", "private_key: [redacted]")]
    public void Redact_SettingNamedLikeASecretInAnyCase_ValueReplaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("charge with sk_live_51H8abcdefghijklmnopqrstuvwx", "charge with [redacted]")]
    [InlineData("rk_test_4eC39HqLyjWDarjtT1zdp7dc", "[redacted]")]
    [InlineData("maps AIzaSyD-abcdefghijklmnopqrstuvwxyz01234 ok", "maps [redacted] ok")]
    [InlineData("npm_abcdefghijklmnopqrstuvwxyz0123456789", "[redacted]")]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH", "[redacted]")]
    [InlineData("glpat-abcdefghij1234567890", "[redacted]")]
    [InlineData("SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "[redacted]")]
    public void Redact_ProviderTokenShape_Replaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7Xq9\nb2Z+/aQ==\n-----END RSA PRIVATE KEY-----\nnext", "[redacted]-----END RSA PRIVATE KEY-----\nnext")]
    [InlineData("key: -----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk\\n-----END OPENSSH PRIVATE KEY-----", "key: [redacted]-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B", "[redacted]")]
    public void Redact_PemPrivateKey_HeaderAndBodyReplaced(string input, string expected) =>
        SecretPatterns.Redact(input).Should().Be(expected);

    [Theory]
    [InlineData("the token expired, please log in")]
    [InlineData("phase plan completed in 3.2 s with 1200 tokens")]
    [InlineData("Bearer short")]
    [InlineData("sk-short")]
    [InlineData("PATH=/usr/bin")]
    [InlineData("skill-runner started; ask the user")]
    [InlineData("tokens: 1200, max_tokens=4096")]
    [InlineData("password reset email sent to alice")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE")]
    [InlineData("keyboard: us; monkey=banana")]
    [InlineData("")]
    public void Redact_HarmlessText_Unchanged(string input) =>
        SecretPatterns.Redact(input).Should().Be(input);

    [Fact]
    public void All_EveryPattern_UsesTheLinearTimeEngine()
    {
        SecretPatterns.All.Should().NotBeEmpty();
        SecretPatterns.All.Should().AllSatisfy(r => r.Options.Should().HaveFlag(RegexOptions.NonBacktracking));
    }
}
