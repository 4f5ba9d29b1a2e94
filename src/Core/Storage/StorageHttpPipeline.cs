using System.Globalization;
using System.Net;

namespace Ferry.Core.Storage;

/// <summary>Sends storage requests: stamps date and version, authorizes (Shared Key or bearer), retries 5xx/429/network failures with bounded backoff.</summary>
internal sealed class StorageHttpPipeline
{
    private readonly StorageConnection connection;
    private readonly HttpClient httpClient;
    private readonly StorageClientOptions options;
    private readonly TimeProvider timeProvider;
    private readonly BearerTokenCache? tokens;

    public StorageHttpPipeline(StorageConnection connection, HttpClient httpClient, StorageClientOptions? options, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(httpClient);
        this.connection = connection;
        this.httpClient = httpClient;
        this.options = options ?? new StorageClientOptions();
        this.timeProvider = timeProvider ?? TimeProvider.System;

        if (connection.SharedKey is null && connection.TokenCredential is null)
        {
            throw new StorageConfigurationException(connection.AccountName, "has neither an account key nor a token credential");
        }

        if (connection.SharedKey is null && connection.TokenCredential is { } credential)
        {
            tokens = new BearerTokenCache(credential, this.timeProvider, this.options.TokenRefreshMargin);
        }
    }

    /// <summary>A URI under an endpoint: each segment percent-encoded, slashes inside blob names kept.</summary>
    public static Uri BuildUri(Uri endpoint, string path, params (string Name, string? Value)[] query)
    {
        var builder = new System.Text.StringBuilder(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        foreach (var segment in path.Split('/'))
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }

        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    public async Task<StorageResponse> SendAsync(StorageRequest request, CancellationToken cancellationToken)
    {
        request.Headers["x-ms-client-request-id"] = Guid.NewGuid().ToString();
        for (var attempt = 0; ; attempt++)
        {
            StorageResponse? response = null;
            Exception? failure = null;
            try
            {
                response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
                if (!IsRetryable(response.Status))
                {
                    return response;
                }
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout.
                failure = e;
            }

            if (attempt >= options.MaxRetries)
            {
                if (response is not null)
                {
                    return response;
                }

                throw new StorageException(request.Subject, 0, null, failure!.Message, failure);
            }

            await Task.Delay(RetryDelay(attempt, response), timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<StorageResponse> SendOnceAsync(StorageRequest request, CancellationToken cancellationToken)
    {
        request.Headers["x-ms-date"] = timeProvider.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        request.Headers["x-ms-version"] = options.ApiVersion;

        using var message = request.ToHttpRequestMessage();
        if (connection.SharedKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("Authorization", SharedKeySigner.Authorize(request, key));
        }
        else
        {
            var token = await tokens!.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        using var answer = await httpClient.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            headers[name] = string.Join(",", values);
        }

        var body = await answer.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new StorageResponse(answer.StatusCode, headers, body);
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || ((int)status >= 500 && status != HttpStatusCode.NotImplemented && status != HttpStatusCode.HttpVersionNotSupported);

    private TimeSpan RetryDelay(int attempt, StorageResponse? response)
    {
        var delay = options.RetryDelay * Math.Pow(2, attempt);
        if (response?.Header("Retry-After") is { } retryAfter && int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            delay = TimeSpan.FromSeconds(seconds);
        }

        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }
}
