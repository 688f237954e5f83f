using System.Text;

namespace Reyn.Runtime;

/// <summary>
/// <c>web_fetch</c> (world): GETs an http(s) URL with the <see cref="HttpClient"/> registered in DI (or one the
/// runtime creates). Arguments: <c>url</c>, optional <c>max_bytes</c>. Data:
/// <c>{url, status_code, content_type, content, truncated}</c>; a non-success status is data, not an error.
/// </summary>
public sealed class WebFetchOp : IOp
{
    private readonly HttpClient _http;
    private readonly WebFetchOptions _options;

    /// <summary>Creates the op over <paramref name="http"/>.</summary>
    public WebFetchOp(HttpClient http, WebFetchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _options = options ?? new WebFetchOptions();
    }

    /// <inheritdoc />
    public string Kind => "web_fetch";

    /// <inheritdoc />
    public OpPurity Purity => OpPurity.World;

    /// <inheritdoc />
    public async ValueTask<OpResult> ExecuteAsync(OpInvocation invocation, CancellationToken cancellationToken)
    {
        var url = invocation.Arguments.GetString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OpArgumentException($"Argument 'url' must be an absolute http or https URL, got '{url}'.");
        }

        var maxBytes = Math.Max(1, invocation.Arguments.GetInt32("max_bytes", _options.MaxBytes));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new byte[maxBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), timeout.Token).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            var truncated = read > maxBytes;
            return OpResult.Ok(new
            {
                url = uri.ToString(),
                status_code = (int)response.StatusCode,
                content_type = response.Content.Headers.ContentType?.ToString(),
                content = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, maxBytes)),
                truncated,
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OpResult.Fail("timeout", $"Fetching '{uri}' took longer than {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            return OpResult.Fail("network", $"Fetching '{uri}' failed: {ex.Message}");
        }
    }
}

/// <summary>Limits of the built-in <c>web_fetch</c> op.</summary>
public sealed class WebFetchOptions
{
    /// <summary>Bytes of the body kept. Default 1 MiB.</summary>
    public int MaxBytes { get; set; } = 1 << 20;

    /// <summary>Timeout of one fetch. Default 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
