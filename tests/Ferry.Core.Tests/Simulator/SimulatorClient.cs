using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Simulator;

namespace Ferry.Core.Tests.Simulator;

/// <summary>Raw HTTP/2 requests to a simulator, trusting its CA (no Kubernetes client involved).</summary>
internal sealed class SimulatorClient(KubeSimulator simulator) : IDisposable
{
    private readonly HttpClient http = new(simulator.CreateHttpMessageHandler())
    {
        BaseAddress = simulator.BaseAddress,
        DefaultRequestVersion = new Version(2, 0),
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
    };

    public string? Token { get; set; } = simulator.Token;

    public string UserAgent { get; set; } = "ferry-tests/1.0";

    public async Task<SimulatorResponse> SendAsync(string method, string path, string? contentType = null, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'))
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.ToString() ?? string.Empty;
        return new SimulatorResponse((int)response.StatusCode, type, text, response.Version);
    }

    public Task<SimulatorResponse> GetAsync(string path) => SendAsync("GET", path);

    public Task<SimulatorResponse> ApplyAsync(string path, string yaml) => SendAsync("PATCH", path, "application/apply-patch+yaml", yaml);

    public void Dispose() => http.Dispose();
}

/// <summary>What the simulator answered.</summary>
internal sealed record SimulatorResponse(int StatusCode, string ContentType, string Body, Version Version)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
}
