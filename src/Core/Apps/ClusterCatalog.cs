using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps;

/// <summary>
/// The clusters Ferry may sync to, from a clusters file:
/// <c>clusters: [{name, server, auth: {kubeconfig: {path?, context?}} | {token: {env}, caData?, insecure?} | {azure: {clientId?}}}]</c>.
/// </summary>
public sealed class ClusterCatalog(IReadOnlyList<ClusterEntry> clusters)
{
    /// <summary>The clusters, in file order.</summary>
    public IReadOnlyList<ClusterEntry> Clusters { get; } = clusters;

    /// <summary>Reads a clusters file; throws <see cref="AppValidationException"/> naming the file, line and field of every error.</summary>
    public static async Task<ClusterCatalog> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new AppValidationException([new AppValidationError(path, 0, string.Empty, "no such file")]);
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);
    }

    /// <summary>Parses clusters file text.</summary>
    public static ClusterCatalog Parse(string text, string file)
    {
        JsonNode? root;
        IReadOnlyList<IReadOnlyDictionary<string, int>> lines;
        try
        {
            root = YamlReader.ReadOne(text, file);
            lines = YamlLineIndex.Build(text);
        }
        catch (YamlFormatException ex)
        {
            throw new AppValidationException([new AppValidationError(file, ex.Line, string.Empty, ex.Reason)]);
        }

        var r = new DocumentReader(file, 1, lines.Count > 0 ? lines[0] : new Dictionary<string, int>());
        var entries = new List<ClusterEntry>();
        if (root is not JsonObject obj)
        {
            r.Error(string.Empty, "expected a mapping with a 'clusters' list");
        }
        else
        {
            r.Known(obj, string.Empty, "clusters");
            var list = r.Array(obj, string.Empty, "clusters") ?? [];
            for (var i = 0; i < list.Count; i++)
            {
                var path = $"clusters[{i}]";
                if (list[i] is not JsonObject item)
                {
                    r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                    continue;
                }

                r.Known(item, path, "name", "server", "auth");
                var name = r.String(item, path, "name", required: true);
                var server = r.String(item, path, "server", required: true);
                var auth = ParseAuth(r, item, path);
                if (name is not null && server is not null && auth is not null)
                {
                    if (entries.Any(e => e.Name == name))
                    {
                        r.Error($"{path}.name", $"duplicate cluster name '{name}'");
                    }

                    entries.Add(new ClusterEntry(name, server.TrimEnd('/'), auth));
                }
            }
        }

        if (r.Errors.Count > 0)
        {
            throw new AppValidationException(r.Errors);
        }

        return new ClusterCatalog(entries);
    }

    /// <summary>
    /// The cluster of a destination: by name, or by server URL. <c>https://kubernetes.default.svc</c> and <c>in-cluster</c>
    /// mean the current kubeconfig context unless the file defines them. Throws <see cref="UnknownClusterException"/> otherwise.
    /// </summary>
    public ClusterEntry Resolve(ApplicationDestination destination)
    {
        if (destination.Name is { Length: > 0 } name)
        {
            return Clusters.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
                ?? (name == ClusterEntry.InClusterName ? ClusterEntry.LocalInCluster : throw Unknown(name));
        }

        if (destination.Server is { Length: > 0 } server)
        {
            var wanted = Canonical(server);
            return Clusters.FirstOrDefault(c => string.Equals(Canonical(c.Server), wanted, StringComparison.Ordinal))
                ?? (wanted == Canonical(ClusterEntry.InClusterServer) ? ClusterEntry.LocalInCluster : throw Unknown(server));
        }

        throw Unknown("(none)");
    }

    private UnknownClusterException Unknown(string destination) =>
        new(destination, [.. Clusters.Select(c => $"{c.Name} ({c.Server})").Order(StringComparer.Ordinal)]);

    private static string Canonical(string server)
    {
        var trimmed = server.Trim().TrimEnd('/');
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}{(uri.IsDefaultPort ? string.Empty : $":{uri.Port}")}{uri.AbsolutePath.TrimEnd('/')}"
            : trimmed.ToLowerInvariant();
    }

    private static ClusterAuth? ParseAuth(DocumentReader r, JsonObject item, string path)
    {
        var authPath = $"{path}.auth";
        var auth = r.Object(item, path, "auth", required: true);
        if (auth is null)
        {
            return null;
        }

        r.Known(auth, authPath, "kubeconfig", "token", "azure", "caData", "insecure");
        var kinds = new[] { "kubeconfig", "token", "azure" }.Where(k => auth[k] is not null).ToList();
        if (kinds.Count != 1)
        {
            r.Error(authPath, kinds.Count == 0 ? "one of kubeconfig, token or azure is required" : $"only one of kubeconfig, token and azure may be set (found {string.Join(" and ", kinds)})");
            return null;
        }

        switch (kinds[0])
        {
            case "kubeconfig":
                var kubeconfig = r.Object(auth, authPath, "kubeconfig") ?? [];
                r.Known(kubeconfig, $"{authPath}.kubeconfig", "path", "context");
                return new KubeconfigClusterAuth(r.String(kubeconfig, $"{authPath}.kubeconfig", "path"), r.String(kubeconfig, $"{authPath}.kubeconfig", "context"));
            case "token":
                var token = r.Object(auth, authPath, "token") ?? [];
                r.Known(token, $"{authPath}.token", "env");
                var variable = r.String(token, $"{authPath}.token", "env", required: true);
                return variable is null ? null : new TokenClusterAuth(variable, r.String(auth, authPath, "caData"), r.Bool(auth, authPath, "insecure"));
            default:
                var azure = r.Object(auth, authPath, "azure") ?? [];
                r.Known(azure, $"{authPath}.azure", "clientId");
                return new AzureClusterAuth(r.String(azure, $"{authPath}.azure", "clientId"));
        }
    }
}
