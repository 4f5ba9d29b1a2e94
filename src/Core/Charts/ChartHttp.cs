using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Ferry.Core.Charts;

/// <summary>
/// HTTP for chart repositories and OCI registries: basic credentials only to the host they are for, the OCI token exchange
/// (a 401 naming a Bearer realm is answered by fetching a token there, with the basic credentials when there are some), size
/// limits, and errors that name the repository, chart and version but never a credential.
/// </summary>
internal sealed class ChartHttp(HttpClient client, ChartCacheOptions options)
{
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Sends a GET (or HEAD) to <paramref name="url"/>, authenticating as the repository's entry allows; returns the response, whatever its status.</summary>
    public async Task<HttpResponseMessage> SendAsync(Uri url, ChartRepositoryEntry? entry, string? accept, ChartLocation location, string version, CancellationToken cancellationToken)
    {
        var tokenKey = $"{url.Authority}|{location.Repository}";
        string? token;
        lock (_gate)
        {
            _tokens.TryGetValue(tokenKey, out token);
        }

        var response = await SendOnceAsync(url, accept, token is null ? BasicFor(url, entry, location) : new AuthenticationHeaderValue("Bearer", token), location, version, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
        if (challenge is null)
        {
            return response;
        }

        if (string.Equals(challenge.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            response.Dispose();
            token = await FetchTokenAsync(challenge.Parameter ?? string.Empty, entry, location, version, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _tokens[tokenKey] = token;
            }

            return await SendOnceAsync(url, accept, new AuthenticationHeaderValue("Bearer", token), location, version, cancellationToken).ConfigureAwait(false);
        }

        if (string.Equals(challenge.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && Basic(entry) is { } basic && url.Authority == HostOf(entry!, location))
        {
            response.Dispose();
            return await SendOnceAsync(url, accept, basic, location, version, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>Reads a successful response's body up to the size limit; any other status is a <see cref="ChartException"/> saying what it means.</summary>
    public async Task<byte[]> ReadAsync(HttpResponseMessage response, string what, ChartLocation location, string version, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response.StatusCode, what, location, version);
            }

            if (response.Content.Headers.ContentLength > options.MaxDownloadBytes)
            {
                throw new ChartException(location.RepoUrl, location.Chart, version, $"{what} is larger than {options.MaxDownloadBytes} bytes") { Permanent = true };
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > options.MaxDownloadBytes)
                {
                    throw new ChartException(location.RepoUrl, location.Chart, version, $"{what} is larger than {options.MaxDownloadBytes} bytes") { Permanent = true };
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>What an HTTP status means for a chart request.</summary>
    public static ChartException Failure(HttpStatusCode status, string what, ChartLocation location, string version) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ChartException(location.RepoUrl, location.Chart, version,
            $"access to {what} was refused (HTTP {(int)status}); check the credentials in {ChartRepositorySettings.FileVariable}") { Permanent = true },
        HttpStatusCode.NotFound => new ChartException(location.RepoUrl, location.Chart, version, $"{what} was not found (HTTP 404)") { Permanent = true },
        _ => new ChartException(location.RepoUrl, location.Chart, version, $"{what} failed with HTTP {(int)status}"),
    };

    /// <summary>The hex SHA-256 of <paramref name="bytes"/>, as <c>sha256:…</c>.</summary>
    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<HttpResponseMessage> SendOnceAsync(Uri url, string? accept, AuthenticationHeaderValue? authorization, ChartLocation location, string version, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        request.Headers.Authorization = authorization;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, $"{url.GetLeftPart(UriPartial.Path)} did not answer within {options.RequestTimeout}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, $"{url.GetLeftPart(UriPartial.Path)} could not be reached: {ex.Message}", ex);
        }
    }

    /// <summary>The OCI token exchange: GET the realm with service and scope, basic credentials when configured; the answer's token (or access_token).</summary>
    private async Task<string> FetchTokenAsync(string parameters, ChartRepositoryEntry? entry, ChartLocation location, string version, CancellationToken cancellationToken)
    {
        var fields = ParseChallenge(parameters);
        if (!fields.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, "the registry asked for a token without naming where to get one");
        }

        var query = new StringBuilder();
        foreach (var key in new[] { "service", "scope" })
        {
            if (fields.TryGetValue(key, out var value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        var tokenUrl = new Uri(realmUri.GetLeftPart(UriPartial.Path) + query);
        // The realm may be another host (a registry's auth service); the registry's credentials are meant for it.
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUrl);
        request.Headers.Authorization = Basic(entry);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ChartException(location.RepoUrl, location.Chart, version, $"the registry's token service {tokenUrl.GetLeftPart(UriPartial.Path)} could not be reached", ex);
        }

        var body = await ReadAsync(response, "the registry's token", location, version, cancellationToken).ConfigureAwait(false);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        foreach (var name in new[] { "token", "access_token" })
        {
            if (json.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } token)
            {
                return token;
            }
        }

        throw new ChartException(location.RepoUrl, location.Chart, version, "the registry's token service answered without a token");
    }

    private static Dictionary<string, string> ParseChallenge(string parameters)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < parameters.Length)
        {
            var eq = parameters.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = parameters[i..eq].Trim().TrimStart(',').Trim();
            i = eq + 1;
            string value;
            if (i < parameters.Length && parameters[i] == '"')
            {
                var close = parameters.IndexOf('"', i + 1);
                close = close < 0 ? parameters.Length : close;
                value = parameters[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = parameters.IndexOf(',', i);
                comma = comma < 0 ? parameters.Length : comma;
                value = parameters[i..comma].Trim();
                i = comma;
            }

            fields[key] = value;
            while (i < parameters.Length && parameters[i] is ',' or ' ')
            {
                i++;
            }
        }

        return fields;
    }

    /// <summary>Basic credentials, sent up front only to the repository's own host (an archive elsewhere gets none, as Argo CD without passCredentials).</summary>
    private static AuthenticationHeaderValue? BasicFor(Uri url, ChartRepositoryEntry? entry, ChartLocation location) =>
        entry is not null && url.Authority == HostOf(entry, location) ? Basic(entry) : null;

    private static string HostOf(ChartRepositoryEntry entry, ChartLocation location)
    {
        if (location.IsOci)
        {
            return location.Registry;
        }

        return Uri.TryCreate(location.RepoUrl, UriKind.Absolute, out var repo) ? repo.Authority : string.Empty;
    }

    private static AuthenticationHeaderValue? Basic(ChartRepositoryEntry? entry) =>
        entry?.Username is { } user && entry.Password is { } password
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")))
            : null;
}
