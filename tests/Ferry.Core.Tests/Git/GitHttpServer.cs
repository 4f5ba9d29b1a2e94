using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ferry.Core.Tests.Git;

/// <summary>
/// Git's smart HTTP protocol on 127.0.0.1 (port 0): each request runs the real <c>git http-backend</c> CGI over the folder
/// holding the test repositories, optionally behind HTTP Basic authentication. One request per connection.
/// </summary>
internal sealed class GitHttpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string projectRoot;
    private readonly string? expectedAuthorization;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private int unauthorized;

    public GitHttpServer(string projectRoot, string? user = null, string? password = null)
    {
        this.projectRoot = projectRoot;
        expectedAuthorization = password is null ? null : "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>How many requests were refused with 401.</summary>
    public int Unauthorized => Volatile.Read(ref unauthorized);

    /// <summary>The URL of a repository folder under the project root.</summary>
    public string Url(string name) => $"http://127.0.0.1:{Port}/{name}";

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (method, target, headers) = await ReadHeadAsync(stream);
                var body = await ReadBodyAsync(stream, headers);
                if (expectedAuthorization is not null && headers.GetValueOrDefault("authorization") != expectedAuthorization)
                {
                    Interlocked.Increment(ref unauthorized);
                    await WriteAsync(stream, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", []);
                    return;
                }

                var (status, responseHeaders, content) = await RunBackendAsync(method, target, headers, body);
                await WriteAsync(stream, $"HTTP/1.1 {status}\r\n{responseHeaders}Content-Length: {content.Length}\r\nConnection: close\r\n\r\n", content);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // The client went away.
            }
        }
    }

    private async Task<(string Status, string Headers, byte[] Content)> RunBackendAsync(string method, string target, Dictionary<string, string> headers, byte[] body)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var info = new ProcessStartInfo("git", ["http-backend"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["GIT_PROJECT_ROOT"] = projectRoot;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["REQUEST_METHOD"] = method;
        info.Environment["PATH_INFO"] = Uri.UnescapeDataString(question < 0 ? target : target[..question]);
        info.Environment["QUERY_STRING"] = question < 0 ? string.Empty : target[(question + 1)..];
        info.Environment["CONTENT_TYPE"] = headers.GetValueOrDefault("content-type") ?? string.Empty;
        info.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (headers.GetValueOrDefault("git-protocol") is { } protocol)
        {
            info.Environment["GIT_PROTOCOL"] = protocol;
        }

        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(output);
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(body);
        process.StandardInput.Close();
        await reading;
        await errors;
        await process.WaitForExitAsync();

        var bytes = output.ToArray();
        var split = IndexOf(bytes, "\r\n\r\n"u8.ToArray());
        var headerLength = split >= 0 ? split : IndexOf(bytes, "\n\n"u8.ToArray());
        var separator = split >= 0 ? 4 : 2;
        var cgiHeaders = Encoding.ASCII.GetString(bytes, 0, Math.Max(headerLength, 0)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var status = "200 OK";
        var response = new StringBuilder();
        foreach (var line in cgiHeaders)
        {
            if (line.StartsWith("Status:", StringComparison.OrdinalIgnoreCase))
            {
                status = line["Status:".Length..].Trim();
            }
            else
            {
                response.Append(line).Append("\r\n");
            }
        }

        return (status, response.ToString(), headerLength < 0 ? bytes : bytes[(headerLength + separator)..]);
    }

    private static async Task<(string Method, string Target, Dictionary<string, string> Headers)> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new IOException("connection closed in the request head");
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines[1..])
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        return (requestLine[0], requestLine[1], headers);
    }

    private static async Task<byte[]> ReadBodyAsync(NetworkStream stream, Dictionary<string, string> headers)
    {
        var body = new MemoryStream();
        if (headers.TryGetValue("content-length", out var length))
        {
            var buffer = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(buffer);
            body.Write(buffer);
        }
        else if (string.Equals(headers.GetValueOrDefault("transfer-encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
        {
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
                if (size == 0)
                {
                    await ReadLineAsync(stream);
                    break;
                }

                var chunk = new byte[size];
                await stream.ReadExactlyAsync(chunk);
                body.Write(chunk);
                await ReadLineAsync(stream);
            }
        }

        return body.ToArray();
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
        {
            if (one[0] != '\r')
            {
                line.Append((char)one[0]);
            }
        }

        return line.ToString();
    }

    private static async Task WriteAsync(NetworkStream stream, string head, byte[] content)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(content);
        await stream.FlushAsync();
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        return -1;
    }
}
