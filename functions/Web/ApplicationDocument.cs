using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Functions.Web;

/// <summary>Shapes an app's status like an Argo CD <c>Application</c> (metadata, spec, status), with Ferry's extras under <c>status.ferry</c>.</summary>
internal static class ApplicationDocument
{
    public static JsonObject From(AppStatus app)
    {
        var document = new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = new JsonObject { ["name"] = app.Name },
        };
        if (Spec(app) is { } spec)
        {
            document["spec"] = spec;
        }

        document["status"] = Status(app);
        return document;
    }

    private static JsonObject? Spec(AppStatus app)
    {
        var spec = new JsonObject();
        var latest = app.History.Count > 0 ? app.History[^1] : null;
        if (app.Spec is { } declared)
        {
            // What the app asks for (a branch, say), as Argo shows it; the resolved SHA is status.sync.revision.
            var source = new JsonObject();
            AddIfNotNull(source, "repoURL", declared.RepoUrl);
            AddIfNotNull(source, "path", declared.Path);
            AddIfNotNull(source, "targetRevision", declared.TargetRevision);
            spec["source"] = source;
        }
        else if (latest?.RepoUrl is not null || latest?.Path is not null)
        {
            spec["source"] = Source(latest);
        }

        var destination = new JsonObject();
        AddIfNotNull(destination, "server", app.Spec?.DestinationServer);
        AddIfNotNull(destination, "name", app.Cluster ?? app.Spec?.DestinationName);
        AddIfNotNull(destination, "namespace", app.Spec?.DestinationNamespace);
        if (destination.Count > 0)
        {
            spec["destination"] = destination;
        }

        return spec.Count == 0 ? null : spec;
    }

    private static JsonObject Status(AppStatus app)
    {
        var health = new JsonObject { ["status"] = app.Health.ToString() };
        AddIfNotNull(health, "message", app.HealthMessage);
        var sync = new JsonObject { ["status"] = app.SyncStatus.ToString() };
        AddIfNotNull(sync, "revision", app.Revision);

        var status = new JsonObject
        {
            ["sync"] = sync,
            ["health"] = health,
        };
        if (app.Operation is { } operation)
        {
            status["operationState"] = OperationState(operation);
        }

        status["resources"] = new JsonArray([.. app.Resources.Select(Resource)]);
        status["history"] = new JsonArray([.. app.History.Select(History)]);
        status["conditions"] = new JsonArray([.. app.Conditions.Select(Condition)]);
        if (app.ReconciledAt is { } reconciledAt)
        {
            status["reconciledAt"] = RelativeTime.Rfc3339(reconciledAt);
        }

        status["summary"] = Summary(app);
        status["ferry"] = Extras(app);
        return status;
    }

    private static JsonObject OperationState(OperationState operation)
    {
        var state = new JsonObject { ["phase"] = operation.Phase.ToString() };
        AddIfNotNull(state, "message", operation.Message);
        state["startedAt"] = RelativeTime.Rfc3339(operation.StartedAt);
        if (operation.FinishedAt is { } finishedAt)
        {
            state["finishedAt"] = RelativeTime.Rfc3339(finishedAt);
        }

        state["retryCount"] = operation.RetryCount;
        var syncResult = new JsonObject();
        AddIfNotNull(syncResult, "revision", operation.Revision);
        syncResult["resources"] = new JsonArray([.. operation.Results.Select(ResourceResult)]);
        state["syncResult"] = syncResult;
        return state;
    }

    private static JsonObject Resource(ResourceStatus resource)
    {
        var node = Identity(resource);
        node["status"] = resource.Status.ToString();
        if (resource.Health is { } code)
        {
            node["health"] = HealthNode(code, resource.Message);
        }

        if (resource.HookPhase is not null)
        {
            node["hook"] = true;
        }

        if (resource.Action == ResourceAction.PruneSkipped)
        {
            node["requiresPruning"] = true;
        }

        node["syncWave"] = resource.Wave;
        node["action"] = resource.Action.ToString();
        AddIfNotNull(node, "message", resource.Message);
        return node;
    }

    private static JsonObject ResourceResult(ResourceStatus resource)
    {
        var node = Identity(resource);
        // Argo's ResourceResult status names; Ferry's finer-grained action rides along.
        node["status"] = resource.Action switch
        {
            ResourceAction.Failed => "SyncFailed",
            ResourceAction.Pruned => "Pruned",
            ResourceAction.PruneSkipped => "PruneSkipped",
            ResourceAction.Skipped => "Skipped",
            ResourceAction.OutOfSync => "OutOfSync",
            _ => "Synced",
        };
        node["action"] = resource.Action.ToString();
        AddIfNotNull(node, "message", resource.Message);
        AddIfNotNull(node, "hookPhase", resource.HookPhase);
        node["syncWave"] = resource.Wave;
        return node;
    }

    private static JsonObject Identity(ResourceStatus resource) => new()
    {
        ["group"] = resource.Group,
        ["version"] = resource.Version,
        ["kind"] = resource.Kind,
        ["namespace"] = resource.Namespace,
        ["name"] = resource.Name,
    };

    private static JsonObject HealthNode(HealthStatusCode code, string? message)
    {
        var node = new JsonObject { ["status"] = code.ToString() };
        AddIfNotNull(node, "message", message);
        return node;
    }

    private static JsonObject History(HistoryEntry entry)
    {
        var node = new JsonObject
        {
            ["id"] = entry.Id,
            ["revision"] = entry.Revision,
            ["deployedAt"] = RelativeTime.Rfc3339(entry.DeployedAt),
            ["deployStartedAt"] = RelativeTime.Rfc3339(entry.DeployStartedAt),
            ["source"] = Source(entry),
        };
        AddIfNotNull(node, "reason", entry.Reason);
        return node;
    }

    private static JsonObject Source(HistoryEntry entry)
    {
        var source = new JsonObject();
        AddIfNotNull(source, "repoURL", entry.RepoUrl);
        AddIfNotNull(source, "path", entry.Path);
        source["targetRevision"] = entry.Revision;
        return source;
    }

    private static JsonObject Condition(AppCondition condition) => new()
    {
        ["type"] = condition.Type,
        ["message"] = condition.Message,
        ["lastTransitionTime"] = RelativeTime.Rfc3339(condition.LastTransitionTime),
    };

    private static JsonObject Summary(AppStatus app)
    {
        var health = new JsonObject();
        foreach (var group in app.Resources.Where(r => r.Health is not null).GroupBy(r => r.Health!.Value).OrderBy(g => g.Key))
        {
            health[group.Key.ToString()] = group.Count();
        }

        return new JsonObject
        {
            ["resources"] = app.Resources.Count,
            ["outOfSync"] = app.Resources.Count(r => r.Status == SyncStatusCode.OutOfSync),
            ["health"] = health,
        };
    }

    private static JsonObject Extras(AppStatus app)
    {
        var extras = new JsonObject();
        AddIfNotNull(extras, "cluster", app.Cluster);
        AddIfNotNull(extras, "source", app.Source);
        AddIfNotNull(extras, "lastDiff", app.LastDiff);
        AddIfNotNull(extras, "failedAutoSyncRevision", app.FailedAutoSyncRevision);
        extras["inventory"] = app.Inventory.Count;
        extras["activeSyncWindows"] = new JsonArray([.. app.ActiveSyncWindows.Select(w => (JsonNode)w)]);
        if (app.Operation is { } operation)
        {
            AddIfNotNull(extras, "operationReason", operation.Reason);
            extras["dryRun"] = operation.DryRun;
            var stages = new JsonObject();
            foreach (var (stage, milliseconds) in operation.StageMilliseconds.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                stages[stage] = milliseconds;
            }

            extras["stageMilliseconds"] = stages;
        }

        return extras;
    }

    private static void AddIfNotNull(JsonObject node, string name, string? value)
    {
        if (value is not null)
        {
            node[name] = value;
        }
    }
}
