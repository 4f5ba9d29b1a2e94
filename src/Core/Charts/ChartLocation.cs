namespace Ferry.Core.Charts;

/// <summary>
/// Where a Helm chart lives, from an Application source's <c>repoURL</c> and <c>chart</c>, in the forms Argo CD accepts: an HTTP(S)
/// chart repository (<c>https://charts.example.com</c> + <c>chart: nginx</c>), an OCI registry path with the chart named apart
/// (<c>registry.example.com/charts</c> or <c>oci://registry.example.com/charts</c> + <c>chart: nginx</c>), or a whole OCI reference
/// (<c>oci://registry.example.com/charts/nginx</c>, no <c>chart</c>).
/// </summary>
public sealed record ChartLocation
{
    /// <summary>The repoURL as written.</summary>
    public required string RepoUrl { get; init; }

    /// <summary>The chart's name.</summary>
    public required string Chart { get; init; }

    /// <summary>True for an OCI registry, false for an HTTP(S) chart repository with an index.yaml.</summary>
    public bool IsOci { get; init; }

    /// <summary>OCI only: the registry host (and port).</summary>
    public string Registry { get; init; } = string.Empty;

    /// <summary>OCI only: the chart's repository name inside the registry (<c>charts/nginx</c>).</summary>
    public string Repository { get; init; } = string.Empty;

    /// <summary>The repository and chart in one line, for messages and cache keys.</summary>
    public string Display => IsOci ? $"oci://{Registry}/{Repository}" : $"{RepoUrl.TrimEnd('/')} chart {Chart}";

    /// <summary>The location of a chart source; null when the source is a Git repository (no <c>chart</c> and no <c>oci://</c>).</summary>
    public static ChartLocation? From(string repoUrl, string? chart)
    {
        var url = repoUrl.Trim();
        var isOciScheme = url.StartsWith("oci://", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(chart) && !isOciScheme)
        {
            return null;
        }

        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new ChartLocation { RepoUrl = repoUrl, Chart = chart!, IsOci = false };
        }

        // An OCI reference: oci://host/path[/chart] or, with chart, a bare host/path (Argo's Helm repository with enableOCI).
        var rest = (isOciScheme ? url["oci://".Length..] : url).Trim('/');
        var slash = rest.IndexOf('/');
        var registry = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..];
        string name;
        string repository;
        if (string.IsNullOrEmpty(chart))
        {
            repository = path;
            name = path[(path.LastIndexOf('/') + 1)..];
        }
        else
        {
            repository = path.Length == 0 ? chart : $"{path}/{chart}";
            name = chart;
        }

        return new ChartLocation { RepoUrl = repoUrl, Chart = name, IsOci = true, Registry = registry, Repository = repository };
    }
}
