using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using Polly;
using Polly.Retry;
using PackageConfigException = k8s.Exceptions.KubeConfigException;

namespace Ferry.Core.Kube;

/// <summary>Sends requests to one API server through KubernetesClient's authenticated HTTP/2 (or HTTP/1.1) pipeline: per-request timeout, retries, errors.</summary>
internal sealed class KubeTransport : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly Kubernetes _kubernetes;
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly string? _tlsServerName;
    private readonly ReauthenticatingTokenProvider? _reauthenticate;
    private readonly KubeClientOptions _options;
    private readonly ResiliencePipeline<Attempt> _safe;
    private readonly ResiliencePipeline<Attempt> _whenRefused;

    /// <summary>
    /// Builds KubernetesClient's pipeline from its configuration (TLS, client certificate, credentials) with Ferry's connection settings;
    /// requests go through that pipeline's <see cref="HttpClient"/> and credentials, with Ferry's retries around them.
    /// </summary>
    public KubeTransport(KubernetesClientConfiguration config, KubeClientOptions options)
    {
        Server = new Uri(config.Host, UriKind.Absolute);
        _base = Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _tlsServerName = string.IsNullOrEmpty(config.TlsServerName) ? null : config.TlsServerName;
        _reauthenticate = config.TokenProvider as ReauthenticatingTokenProvider;
        _options = options;
        _safe = Pipeline(options, RetriableWhenSafe);
        _whenRefused = Pipeline(options, RetriableWhenRefused);

        // KubernetesClient's own CA check accepts a certificate whose name does not match the server once the chain builds to the CA;
        // Ferry keeps client-go's check (chain to the kubeconfig's CAs only, and the name), so the package is not given the CAs.
        var authorities = config.SkipTlsVerify ? null : config.SslCaCerts;
        config.SslCaCerts = null;
        config.UserAgent = UserAgent;
        config.FirstMessageHandlerSetup = handler =>
        {
            // The package's handler already multiplexes HTTP/2 over several connections; bound and pool them as the bench relies on.
            handler.MaxConnectionsPerServer = options.MaxConnectionsPerServer;
            handler.ConnectTimeout = options.ConnectTimeout;
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(10);
            handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);
            handler.AutomaticDecompression = DecompressionMethods.None;
            handler.UseProxy = false;
            handler.UseCookies = false;
            handler.AllowAutoRedirect = false;
            if (authorities is { Count: > 0 })
            {
                handler.SslOptions.RemoteCertificateValidationCallback = TrustOnly(authorities);
            }
        };
        _kubernetes = new Kubernetes(config);
        _http = _kubernetes.HttpClient;
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
            // HttpClient's DefaultRequestVersion only applies to its helper methods, so a request built here must ask for HTTP/2 itself.
            using var request = new HttpRequestMessage(call.Method, call.Uri)
            {
                Content = call.Content?.Invoke(),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Accept.Add(AcceptJson);
            if (_tlsServerName is not null)
            {
                // As KubernetesClient does for tls-server-name: the handler takes the TLS name (SNI and verification) from Host.
                request.Headers.Host = _tlsServerName;
            }

            await AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status == (int)HttpStatusCode.Unauthorized && !reauthenticated && _reauthenticate is not null)
                {
                    // An exec plugin's, a file's or Azure's token may have been revoked early: start over once, then give up.
                    _reauthenticate.Invalidate();
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

    public void Dispose() => _kubernetes.Dispose();

    /// <summary>Adds KubernetesClient's credentials (bearer token from the kubeconfig, a token file or an exec plugin, or basic auth).</summary>
    private async Task AuthenticateAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_kubernetes.Credentials is not { } credentials)
        {
            return;
        }

        try
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PackageConfigException ex)
        {
            throw new KubeCredentialException("kubeconfig user", ex.Message.Split('\n', 2)[0].Trim(), ex);
        }
    }

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

    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection authorities) => (_, certificate, _, errors) =>
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
