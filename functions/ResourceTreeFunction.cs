using Ferry.Core.Live;
using Ferry.Functions.Hosting;
using Ferry.Functions.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Ferry.Functions;

/// <summary>GET <c>/api/apps/{name}/tree</c>: the app's managed objects and the objects they own, read from the live cluster.</summary>
internal sealed class ResourceTreeFunction(AppInspector inspector)
{
    /// <summary>The function.</summary>
    [Function(FunctionNames.ResourceTree)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = FunctionRoutes.ResourceTree)] HttpRequest request, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await ClusterErrors.AnswerAsync(async () =>
        {
            var tree = await inspector.TreeAsync(name, cancellationToken);
            return tree is null
                ? TextResult.Error(StatusCodes.Status404NotFound, "not found", $"no app named '{name}'")
                : TextResult.Json(StatusCodes.Status200OK, ResourceTreeDocument.From(tree));
        });
    }
}
