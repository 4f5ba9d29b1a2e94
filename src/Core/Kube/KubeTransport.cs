using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Retry;

namespace Ferry.Core.Kube;

/// <summary>Sends requests to one API server over one pooled HTTP/2 (or HTTP/1.1) handler: credentials, per-request timeout, retries, errors.</summary>
internal sealed class KubeTransport : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly IKubeCredentials _credentials;
    private readonly KubeClientOptions _options;
    private readonly ResiliencePipeline<Attempt> _safe;
    private readonly ResiliencePipeline<Attempt> _whenRefused;
    private volatile X509Certificate2? _clientCertificate;

    public KubeTransport(KubeConnection connection, KubeClientOptions options)
    {
        Server = connection.Server;
        _base = connection.Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _credentials = connection.Credentials;
        _options = options;
        _safe = Pipeline(options, RetriableWhenSafe);
        _whenRefused = Pipeline(options, RetriableWhenRefused);

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
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
    }

    /// <summary>The <c>User-Agent</c> of every request: <c>ferry/&lt;version&gt;</c>.</summary>
    public static string UserAgent { get; } = $"ferry/{typeof(KubeTransport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    public Uri Server { get; }

    /// <summary>Sends one request, retrying what <paramref name="retry"/> allows, and returns the parsed JSON answer or the API's error.</summary>
    public async Task<KubeResponse> SendAsync(HttpMethod method, string pathAndQuery, string resource, Func<HttpContent>? content, KubeRetry retry, CancellationToken cancellationToken)
    {
        var call = new Call(method, new Uri(_base + pathAndQuery, UriKind.Absolute), PathOf(pathAndQuery), resource, content);
        var pipeline = retry == KubeRetry.Safe ? _safe : _whenRefused;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var attempt = await pipeline.ExecuteAsync(static (context, state) => state.Transport.AttemptAsync(state.Call, context.CancellationToken), context, (Transport: this, Call: call)).ConfigureAwait(false);
            return attempt.Response;
        }
        catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw new KubeUnreachableException(Server, ex is TimeoutException ? ex.Message : Describe(ex), ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One try: credentials, the request, the whole answer read (a connection that drops mid-answer fails the try, not the caller).</summary>
    private async ValueTask<Attempt> AttemptAsync(Call call, CancellationToken cancellationToken)
    {
        var number = call.Attempts++;
        for (var reauthenticated = false; ; reauthenticated = true)
        {
            var credential = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            if (credential.ClientCertificate is not null)
            {
                _clientCertificate = credential.ClientCertificate;
            }

            // HttpClient's DefaultRequestVersion only applies to its helper methods, so a request built here must ask for HTTP/2 itself.
            using var request = new HttpRequestMessage(call.Method, call.Uri)
            {
                Content = call.Content?.Invoke(),
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
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status == (int)HttpStatusCode.Unauthorized && !reauthenticated && _credentials.Invalidate())
                {
                    // An exec plugin's or a file's token may have expired early: fetch once more, then give up.
                    Report(call, status, started, number);
                    continue;
                }

                var answer = await ReadAsync(response, call.Method.Method, call.Path, timeout.Token).ConfigureAwait(false);
                Report(call, status, started, number);
                return new Attempt(answer, RetryAfter(response));
            }
            catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
            {
                Report(call, 0, started, number);
                throw new KubeUnreachableException(Server, "the TLS handshake failed (the server's certificate is not trusted, or the client certificate was refused)", ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                Report(call, 0, started, number);
                throw;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Report(call, 0, started, number);
                throw new TimeoutException($"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s", ex);
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

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _options.TimeProvider.GetUtcNow(),
        _ => null,
    };

    private static ResiliencePipeline<Attempt> Pipeline(KubeClientOptions options, Func<Outcome<Attempt>, bool> retriable)
    {
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(retriable(args.Outcome)),

                // A server that says when to come back is obeyed (within the cap); otherwise exponential backoff with jitter.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter is { } after
                    ? (TimeSpan?)TimeSpan.FromTicks(Math.Clamp(after.Ticks, 0, options.RetryMaxDelay.Ticks))
                    : null),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// What client-go retries: a 429, or any 5xx that carries Retry-After; Ferry adds the gateway answers 502/503/504 (load balancers send them
    /// without Retry-After) and, since the verb is safe to repeat, a connection that failed or dropped before the whole answer arrived.
    /// </summary>
    private static bool RetriableWhenSafe(Outcome<Attempt> outcome) => outcome switch
    {
        { Exception: { } ex } => IsConnectionFailure(ex),
        { Result: { } attempt } => attempt.Response.StatusCode is 429 or 502 or 503 or 504 || (attempt.Response.StatusCode >= 500 && attempt.RetryAfter is not null),
        _ => false,
    };

    /// <summary>Only what the server certainly did not act on: a 429 (priority and fairness rejects before handling).</summary>
    private static bool RetriableWhenRefused(Outcome<Attempt> outcome) => outcome.Result is { Response.StatusCode: 429 };

    private static bool IsConnectionFailure(Exception ex) => ex is HttpRequestException or IOException or TimeoutException && ex is not KubeUnreachableException;

    private void Report(Call call, int status, long started, int attempt) =>
        _options.OnRequest?.Invoke(new KubeRequestInfo(call.Method.Method, call.Resource, status, Stopwatch.GetElapsedTime(started), attempt)
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

/// <summary>One try's answer and the server's Retry-After, if it sent one.</summary>
internal sealed record Attempt(KubeResponse Response, TimeSpan? RetryAfter);

/// <summary>One call across its tries.</summary>
internal sealed class Call(HttpMethod method, Uri uri, string path, string resource, Func<HttpContent>? content)
{
    public HttpMethod Method { get; } = method;

    public Uri Uri { get; } = uri;

    public string Path { get; } = path;

    public string Resource { get; } = resource;

    public Func<HttpContent>? Content { get; } = content;

    public int Attempts { get; set; }
}

/// <summary>One answer: the status code and either the parsed JSON body or the API's error.</summary>
internal readonly record struct KubeResponse(int StatusCode, JsonNode? Body, KubeApiException? Error)
{
    public JsonNode Require() => Error is not null ? throw Error : Body ?? new JsonObject();
}
