using System.Net;

namespace Reyn.Runtime.Tests.Support;

/// <summary>Stands in for the network under <see cref="HttpClient"/>: answers every request with a fixed response and records the URLs.</summary>
public sealed class StubHttpHandler(HttpStatusCode status, string body, string mediaType = "text/plain") : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) });
    }
}
