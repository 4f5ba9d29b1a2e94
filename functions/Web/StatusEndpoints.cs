using System.Text.Json.Nodes;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Http;

namespace Ferry.Functions.Web;

/// <summary>The read side: the Argo-shaped status API, the badge and the page, all from the status store.</summary>
internal sealed class StatusEndpoints(IStatusStore store, TimeProvider time, Func<CancellationToken, Task<CatalogReport>>? catalog = null)
{
    public async Task ListAsync(HttpContext context)
    {
        var apps = await store.ListAsync(context.RequestAborted);
        var array = new JsonArray([.. apps.OrderBy(a => a.Name, StringComparer.Ordinal).Select(ApplicationDocument.From)]);
        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, array);
    }

    public async Task GetAsync(HttpContext context)
    {
        var name = (string?)context.Request.RouteValues["name"] ?? string.Empty;
        var app = await FindAsync(name, context.RequestAborted);
        if (app is null)
        {
            await HttpResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "not found", $"app '{name}' not found");
            return;
        }

        await HttpResponses.WriteJsonAsync(context, StatusCodes.Status200OK, ApplicationDocument.From(app));
    }

    public async Task BadgeAsync(HttpContext context)
    {
        var name = (string?)context.Request.RouteValues["name"] ?? string.Empty;
        var app = await FindAsync(name, context.RequestAborted);
        context.Response.StatusCode = app is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        context.Response.ContentType = "image/svg+xml; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync(BadgeRenderer.Render(app), context.RequestAborted);
    }

    public async Task PageAsync(HttpContext context)
    {
        var apps = await store.ListAsync(context.RequestAborted);
        var expanded = context.Request.Query["app"].ToString();
        var report = catalog is null ? null : await catalog(context.RequestAborted);
        var html = StatusPageRenderer.Render([.. apps.OrderBy(a => a.Name, StringComparer.Ordinal)], time.GetUtcNow(), expanded.Length == 0 ? null : expanded, report);
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";
        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private async Task<AppStatus?> FindAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(name, cancellationToken);
        }
        catch (ArgumentException)
        {
            // Not a valid app name for the store: no such app.
            return null;
        }
    }
}
