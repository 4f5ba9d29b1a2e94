using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Apps;
using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions;

/// <summary>
/// POST <c>/api/apps/{name}/sync</c>, <c>/refresh</c> and <c>/rollback</c> (body <c>{"id": &lt;history id&gt;}</c> or <c>?id=</c>): queues the job
/// on the same queue as the webhook and answers 202 with it. Actions need an authorized caller (<see cref="ActionAuthorization"/>); a
/// rollback is refused while automated sync is on, as <c>ferry rollback</c> refuses it.
/// </summary>
internal sealed partial class AppActionFunction(ICatalogProvider catalogs, IStatusStore store, IJobQueue queue, TimeProvider time, ILogger<AppActionFunction> logger,
    ActionAuthorization? authorization = null)
{
    /// <summary>The function.</summary>
    [Function(FunctionNames.AppAction)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = FunctionRoutes.AppAction)] HttpRequest request, string name, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (action is not ("sync" or "refresh" or "rollback"))
        {
            return TextResult.Error(StatusCodes.Status404NotFound, "not found", $"no action '{action}' (sync, refresh or rollback)");
        }

        if ((authorization ?? ActionAuthorization.BearerToken(null)).Check(request, out var caller) is { } refused)
        {
            return refused;
        }

        ApplicationCatalog catalog;
        try
        {
            catalog = await catalogs.GetAsync(cancellationToken);
        }
        catch (AppValidationException ex)
        {
            return TextResult.Error(StatusCodes.Status409Conflict, "invalid catalog", $"the apps catalog is invalid; nothing syncs until it is fixed: {ex.Message}");
        }

        var app = catalog.FindApplication(name);
        if (app is null)
        {
            return TextResult.Error(StatusCodes.Status404NotFound, "not found", $"no app named '{name}' in the catalog");
        }

        var job = new JobMessage
        {
            Kind = action == "refresh" ? JobKind.Refresh : JobKind.Sync,
            App = app.Name,
            Reason = JobReason.Manual,
            DeliveryId = $"api-{Guid.NewGuid():N}",
            EnqueuedAt = time.GetUtcNow(),
        };
        if (action == "rollback")
        {
            if (app.SyncPolicy?.Automated is not null)
            {
                return TextResult.Error(StatusCodes.Status409Conflict, "rollback refused",
                    $"rollback refused: app '{app.Name}' has automated sync on; it would sync back to Git at once. Turn automated sync off first (as Argo CD requires).");
            }

            var id = await HistoryIdAsync(request, cancellationToken);
            if (id is null)
            {
                return TextResult.Error(StatusCodes.Status400BadRequest, "bad request", "a rollback names a history entry: body {\"id\": 3} or ?id=3 (see the app's history)");
            }

            var entry = (await store.GetAsync(app.Name, cancellationToken))?.History.FirstOrDefault(h => h.Id == id);
            if (entry is null)
            {
                return TextResult.Error(StatusCodes.Status404NotFound, "not found", $"app '{app.Name}' has no history entry {id.Value.ToString(CultureInfo.InvariantCulture)}");
            }

            job = job with { Kind = JobKind.Rollback, Revision = entry.Revision };
        }

        var messageId = await queue.EnqueueAsync(job, cancellationToken);
        LogQueued(logger, action, app.Name, caller, job.DeliveryId);
        return TextResult.Json(StatusCodes.Status202Accepted, new JsonObject
        {
            ["messageId"] = messageId,
            ["job"] = JsonNode.Parse(job.ToJson()),
        });
    }

    private static async Task<long?> HistoryIdAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (long.TryParse(request.Query["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var fromQuery))
        {
            return fromQuery;
        }

        if (request.ContentLength is null or 0 or > 4096)
        {
            return null;
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} of {App} queued for {Caller} (job {DeliveryId})")]
    private static partial void LogQueued(ILogger logger, string action, string app, string caller, string deliveryId);
}
