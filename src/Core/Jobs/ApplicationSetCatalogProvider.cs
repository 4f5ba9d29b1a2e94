using Ferry.Core.Apps;
using Ferry.Core.Apps.ApplicationSets;

namespace Ferry.Core.Jobs;

/// <summary>
/// A catalog with its ApplicationSets expanded into Applications on every read, so a change in a generator's repository (a new
/// directory, an edited config file) shows up on the next job; an app a generator no longer produces simply leaves the catalog,
/// which Ferry reports and never prunes.
/// </summary>
public sealed class ApplicationSetCatalogProvider(ICatalogProvider inner, ApplicationSetExpander expander) : ICatalogProvider
{
    /// <inheritdoc/>
    public async Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken) =>
        await expander.ExpandAsync(await inner.GetAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}
