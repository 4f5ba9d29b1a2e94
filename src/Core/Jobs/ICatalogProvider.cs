using Ferry.Core.Apps;

namespace Ferry.Core.Jobs;

/// <summary>Where the app catalog comes from: a local directory, or a Git apps repository read per invocation.</summary>
public interface ICatalogProvider
{
    /// <summary>The current catalog (cached while its source has not changed).</summary>
    Task<ApplicationCatalog> GetAsync(CancellationToken cancellationToken);
}
