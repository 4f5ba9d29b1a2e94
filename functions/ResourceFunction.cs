using Ferry.Core.Resources;
using Ferry.Core.Live;
using Ferry.Functions.Hosting;
using Ferry.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ferry.Functions;

/// <summary>
/// GET <c>/api/apps/{name}/resource?group=&amp;version=&amp;kind=&amp;namespace=&amp;name=</c>: one object of the app's tree as it is live
/// (Secret values masked) with its part of the app's last diff.
/// </summary>
internal sealed class ResourceFunction(AppInspector inspector)
{
    /// <summary>The function.</summary>
    [Function(FunctionNames.Resource)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FunctionRoutes.Resource)] HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query;
        var kind = query["kind"].ToString();
        var objectName = query["name"].ToString();
        if (kind.Length == 0 || objectName.Length == 0)
        {
            return TextResult.Error(StatusCodes.Status400BadRequest, "bad request", "the query needs kind and name (and group and namespace where they apply): ?group=apps&version=v1&kind=Deployment&namespace=web&name=api");
        }

        var key = new ResourceKey(query["group"].ToString(), kind, query["namespace"].ToString(), objectName);
        return await ClusterErrors.AnswerAsync(async () =>
        {
            if (!await inspector.ExistsAsync(name, cancellationToken))
            {
                return TextResult.Error(StatusCodes.Status404NotFound, "not found", $"no app named '{name}'");
            }

            var resource = await inspector.ResourceAsync(name, key, cancellationToken);
            return resource is null
                ? TextResult.Error(StatusCodes.Status404NotFound, "not found", $"{key} is not part of app '{name}'")
                : TextResult.Json(StatusCodes.Status200OK, ResourceTreeDocument.From(resource));
        });
    }
}
