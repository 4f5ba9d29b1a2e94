namespace Ferry.Simulator;

/// <summary>One request the simulator answered: method, path, query, content type, body (when captured) and the status code sent.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string? Body, int StatusCode)
{
    /// <summary>Whether the request asked for a dry run (<c>dryRun=All</c>).</summary>
    public bool IsDryRun => Query.Contains("dryRun=", StringComparison.Ordinal);

    /// <summary>Whether the request could change the cluster: POST, PUT, PATCH or DELETE without dryRun.</summary>
    public bool IsMutating => Method is "POST" or "PUT" or "PATCH" or "DELETE" && !IsDryRun;
}
