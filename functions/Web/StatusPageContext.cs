using Ferry.Core.Apps;
using Ferry.Core.Jobs;

namespace Ferry.Functions.Web;

/// <summary>What the status page shows besides the recorded statuses: the catalog's problems, each app's declared sync policy, and how actions are authorized.</summary>
internal sealed record StatusPageContext
{
    /// <summary>The catalog's errors and warnings; null when there is no catalog to read.</summary>
    public CatalogReport? Catalog { get; init; }

    /// <summary>The catalog's apps by name (for the sync policy and repository); empty when the catalog cannot be read.</summary>
    public IReadOnlyDictionary<string, Application> Apps { get; init; } = new Dictionary<string, Application>(StringComparer.Ordinal);

    /// <summary>True when actions can run at all (signed-in callers in Azure, or serve started with a token).</summary>
    public bool ActionsEnabled { get; init; }

    /// <summary>True when actions need the bearer token typed into the page (<c>ferry serve</c>); false when App Service Authentication signs people in.</summary>
    public bool ActionsNeedToken { get; init; }
}
