using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Ferry.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ferry.Functions;

/// <summary>GET <c>/api/badge/{name}</c>: the app's sync and health as an SVG badge (a grey "not found" badge with 404 for unknown apps).</summary>
internal sealed class BadgeFunction(IStatusStore store)
{
    /// <summary>The function.</summary>
    [Function(FunctionNames.Badge)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FunctionRoutes.Badge)] HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = await StatusLookup.FindAsync(store, name, cancellationToken);
        return TextResult.Of(app is null ? StatusCodes.Status404NotFound : StatusCodes.Status200OK, "image/svg+xml; charset=utf-8", BadgeRenderer.Render(app),
            new KeyValuePair<string, string>("Cache-Control", "no-cache"));
    }
}
