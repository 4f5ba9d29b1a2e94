using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Ferry.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ferry.Functions;

/// <summary>GET <c>/</c>: the status page (<c>?app=name</c> opens one app's details).</summary>
internal sealed class StatusPageFunction(IStatusStore store, TimeProvider time, ICatalogProvider? catalogs = null, ActionAuthorization? authorization = null)
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

    /// <summary>The function; <paramref name="page"/> is set for any one-segment path other than the root, which is not a page.</summary>
    [Function(FunctionNames.StatusPage)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FunctionRoutes.StatusPage)] HttpRequest request, string? page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(page))
        {
            return TextResult.Error(StatusCodes.Status404NotFound, "not found", $"no page '{page}'");
        }

        var apps = await store.ListAsync(cancellationToken);
        var expanded = request.Query["app"].ToString();
        // The catalog's errors (nothing syncs until they are fixed) and warnings, each file named with its folder.
        var catalog = catalogs is null ? null : await CatalogReport.ReadAsync(catalogs, cancellationToken);
        var declared = catalogs is not null && catalog is { IsValid: true } ? (await catalogs.GetAsync(cancellationToken)).Applications : [];
        var context = new StatusPageContext
        {
            Catalog = catalog,
            Apps = declared.DistinctBy(a => a.Name).ToDictionary(a => a.Name, StringComparer.Ordinal),
            ActionsEnabled = authorization?.Enabled == true,
            ActionsNeedToken = authorization is { AppService: false },
        };
        var html = StatusPageRenderer.Render([.. apps.OrderBy(a => a.Name, StringComparer.Ordinal)], time.GetUtcNow(), expanded.Length == 0 ? null : expanded, context);
        return TextResult.Of(StatusCodes.Status200OK, "text/html; charset=utf-8", html,
            new KeyValuePair<string, string>("Cache-Control", "no-cache"),
            new KeyValuePair<string, string>("X-Content-Type-Options", "nosniff"),
            new KeyValuePair<string, string>("Content-Security-Policy", ContentSecurityPolicy));
    }
}
