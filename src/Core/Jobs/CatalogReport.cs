using Ferry.Core.Apps;
using Ferry.Core.Git;

namespace Ferry.Core.Jobs;

/// <summary>What is wrong with the app catalog right now: errors that stop every app from syncing, and warnings (unknown fields).</summary>
public sealed record CatalogReport
{
    /// <summary>Errors naming file (with its folder), line and field; while there are any, no app is synced.</summary>
    public IReadOnlyList<AppValidationError> Errors { get; init; } = [];

    /// <summary>Unknown or unsupported fields, in file and line order.</summary>
    public IReadOnlyList<AppWarning> Warnings { get; init; } = [];

    /// <summary>Whether the catalog loads.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Loads the catalog and reports its errors and warnings instead of throwing.</summary>
    public static async Task<CatalogReport> ReadAsync(ICatalogProvider catalogs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalogs);
        try
        {
            var catalog = await catalogs.GetAsync(cancellationToken).ConfigureAwait(false);
            return new CatalogReport { Warnings = catalog.Warnings };
        }
        catch (AppValidationException ex)
        {
            return new CatalogReport { Errors = ex.Errors };
        }
        catch (GitException ex)
        {
            return new CatalogReport { Errors = [new AppValidationError(ex.RepoUrl, 0, string.Empty, ex.Message)] };
        }
    }
}
