namespace Ferry.Core.Charts;

/// <summary>One chart repository or registry from Ferry's settings: its URL prefix, credentials and transport.</summary>
public sealed record ChartRepositoryEntry
{
    /// <summary>The repository URL (<c>https://charts.example.com</c>) or registry prefix (<c>oci://registry.example.com/charts</c>, <c>registry.example.com</c>).</summary>
    public required string Url { get; init; }

    /// <summary>The user name for basic authentication (or a registry's token exchange); null for anonymous access.</summary>
    public string? Username { get; init; }

    /// <summary>The password or token; never logged.</summary>
    public string? Password { get; init; }

    /// <summary>OCI only: talk plain HTTP to the registry (Argo CD's <c>insecureOCIForceHttp</c>, helm's <c>--plain-http</c>).</summary>
    public bool PlainHttp { get; init; }

    /// <summary>Whether <paramref name="key"/> (see <see cref="ChartRepositorySettings.KeyOf"/>) lies under this entry.</summary>
    internal bool Covers(string key)
    {
        var own = ChartRepositorySettings.KeyOf(Url);
        return key == own || key.StartsWith(own + "/", StringComparison.Ordinal);
    }
}
