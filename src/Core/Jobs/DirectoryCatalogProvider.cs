using Ferry.Core.Apps;

namespace Ferry.Core.Jobs;

/// <summary>Reads the app catalog from a local file or directory on every call (it is small; edits show up at once).</summary>
public sealed class DirectoryCatalogProvider(string path) : ICatalogProvider
{
    /// <summary>The file or directory read.</summary>
    public string Path { get; } = path;

    /// <inheritdoc/>
    public Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken) =>
        new ApplicationCatalogLoader().LoadAsync(Path, cancellationToken);
}
