using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Ferry.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ferry.Functions;

/// <summary>GET <c>/api/apps</c> (every app) and <c>/api/apps/{name}</c> (one app), shaped like Argo CD's <c>Application</c>.</summary>
internal sealed class StatusFunction(IStatusStore store)
{
    /// <summary>The function; <paramref name="name"/> is the optional route segment.</summary>
    [Function(FunctionNames.Status)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FunctionRoutes.Apps)] HttpRequest request, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(name))
        {
            var apps = await store.ListAsync(cancellationToken);
            return TextResult.Json(StatusCodes.Status200OK, new JsonArray([.. apps.OrderBy(a => a.Name, StringComparer.Ordinal).Select(ApplicationDocument.From)]));
        }

        var app = await StatusLookup.FindAsync(store, name, cancellationToken);
        return app is null
            ? TextResult.Error(StatusCodes.Status404NotFound, "not found", $"app '{name}' not found")
            : TextResult.Json(StatusCodes.Status200OK, ApplicationDocument.From(app));
    }
}
