using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>Sends requests to one API server over one pooled HTTP/2 (or HTTP/1.1) handler: credentials, per-request timeout, retries, errors.</summary>
internal sealed class KubeTransport : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly IKubeCredentials _credentials;
    private readonly KubeClientOptions _options;
    private volatile X509Certificate2? _clientCertificate;

    public KubeTransport(KubeConnection connection, KubeClientOptions options)
    {
        Server = connection.Server;
        _base = connection.Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _credentials = connection.Credentials;
        _options = options;

        var ssl = new SslClientAuthenticationOptions
        {
            // Client certificates can come from an exec plugin and rotate, so they are chosen per connection.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => _clientCertificate!,
            RemoteCertificateValidationCallback = ServerCertificateValidator(connection),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
        if (connection.TlsServerName is { } serverName)
        {
            ssl.TargetHost = serverName;
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Uri Server { get; }

    /// <summary>Sends one request (retrying what is safe to retry) and returns the parsed JSON answer or the API's error.</summary>
    public async Task<KubeResponse> SendAsync(HttpMethod method, string pathAndQuery, string resource, Func<HttpContent>? content, bool idempotent, CancellationToken cancellationToken)
    {
        var uri = new Uri(_base + pathAndQuery, UriKind.Absolute);
        var path = PathOf(pathAndQuery);
        var reauthenticated = false;
        for (var attempt = 0; ; attempt++)
        {
            var credential = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            if (credential.ClientCertificate is not null)
            {
                _clientCertificate = credential.ClientCertificate;
            }

            // HttpClient's DefaultRequestVersion only applies to its helper methods, so a request built here must ask for HTTP/2 itself.
            using var request = new HttpRequestMessage(method, uri)
            {
                Content = content?.Invoke(),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Accept.Add(AcceptJson);
            if (credential.Token is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
            {
                Report(method, resource, 0, started, attempt);
                throw new KubeUnreachableException(Server, "the TLS handshake failed (the server's certificate is not trusted, or the client certificate was refused)", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Report(method, resource, 0, started, attempt);
                var reason = ex is OperationCanceledException
                    ? $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s"
                    : Describe(ex);
                if (idempotent && attempt < _options.MaxRetries)
                {
                    await DelayAsync(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new KubeUnreachableException(Server, reason, ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status == (int)HttpStatusCode.Unauthorized && !reauthenticated && _credentials.Invalidate())
                {
                    // An exec plugin's or a file's token may have expired early: fetch once more, then give up.
                    reauthenticated = true;
                    Report(method, resource, status, started, attempt);
                    attempt--;
                    continue;
                }

                if (RetryDelay(response, attempt) is { } delay)
                {
                    Report(method, resource, status, started, attempt);
                    await DelayAsync(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    var result = await ReadAsync(response, method.Method, path, timeout.Token).ConfigureAwait(false);
                    Report(method, resource, status, started, attempt);
                    return result;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Report(method, resource, 0, started, attempt);
                    throw new KubeUnreachableException(Server, $"the answer did not complete within {_options.RequestTimeout.TotalSeconds:0.###} s", ex);
                }
                catch (HttpRequestException ex)
                {
                    Report(method, resource, 0, started, attempt);
                    throw new KubeUnreachableException(Server, Describe(ex), ex);
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<KubeResponse> ReadAsync(HttpResponseMessage response, string verb, string path, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var body = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new KubeResponse(status, body, null);
            }
            catch (JsonException ex)
            {
                if (response.Content.Headers.ContentLength == 0)
                {
                    return new KubeResponse(status, null, null);
                }

                throw new KubeApiException(verb, path, status, null, $"the answer is not JSON ({ex.Message})", null, null, null, []);
            }
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new KubeResponse(status, null, KubeApiException.FromBody(verb, path, status, text));
    }

    private TimeSpan? RetryDelay(HttpResponseMessage response, int attempt)
    {
        if (attempt >= _options.MaxRetries)
        {
            return null;
        }

        var status = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _options.TimeProvider.GetUtcNow(),
            _ => (TimeSpan?)null,
        };

        // As client-go does: 429 and the gateway/availability 5xx are transient; any other 5xx only when the server asks for a retry.
        var retriable = status is 429 or 502 or 503 or 504 || (status >= 500 && retryAfter is not null);
        if (!retriable)
        {
            return null;
        }

        var wait = retryAfter ?? Backoff(attempt);
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        return wait > _options.RetryMaxDelay ? _options.RetryMaxDelay : wait;
    }

    private TimeSpan Backoff(int attempt)
    {
        var delay = TimeSpan.FromTicks(_options.RetryBaseDelay.Ticks << Math.Min(attempt, 16));
        return delay > _options.RetryMaxDelay ? _options.RetryMaxDelay : delay;
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _options.TimeProvider, cancellationToken);

    private void Report(HttpMethod method, string resource, int status, long started, int attempt) =>
        _options.OnRequest?.Invoke(new KubeRequestInfo(method.Method, resource, status, Stopwatch.GetElapsedTime(started), attempt)
        {
            Server = $"{Server.Scheme}://{Server.Authority}",
        });

    private static string PathOf(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }

    private static string Describe(Exception ex)
    {
        // The innermost socket error says it best ("Connection refused"); HttpRequestException messages never carry headers.
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }

    private static RemoteCertificateValidationCallback ServerCertificateValidator(KubeConnection connection)
    {
        if (connection.InsecureSkipTlsVerify)
        {
            return (_, _, _, _) => true;
        }

        if (connection.CertificateAuthorities.Count == 0)
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }

        var authorities = connection.CertificateAuthorities;
        return (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            {
                return false;
            }

            // Trust only the kubeconfig's CA chain, not the machine's store.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}

/// <summary>One answer: the status code and either the parsed JSON body or the API's error.</summary>
internal readonly record struct KubeResponse(int StatusCode, JsonNode? Body, KubeApiException? Error)
{
    public JsonNode Require() => Error is not null ? throw Error : Body ?? new JsonObject();
}
