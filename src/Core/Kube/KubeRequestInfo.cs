namespace Ferry.Core.Kube;

/// <summary>What one HTTP request to the API server did, for counting and telemetry; status code 0 when no answer came.</summary>
public sealed record KubeRequestInfo(string Verb, string Resource, int StatusCode, TimeSpan Duration, int Attempt)
{
    /// <summary>The API server as scheme, host and port only (no path, query or credentials), so telemetry can name the target.</summary>
    public string? Server { get; init; }
}
