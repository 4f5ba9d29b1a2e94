using Ferry.Core.Apps;
using Ferry.Core.Diff;
using Ferry.Core.Health;
using Ferry.Core.Jobs;
using Ferry.Core.Resources;
using Ferry.Core.Status;

namespace Ferry.Core.Live;

/// <summary>Reads an app's objects from its destination cluster for people: the resource tree, and one object's live manifest with its diff.</summary>
public sealed class AppInspector(ICatalogProvider catalogs, IStatusStore store, IClusterConnector clusters, ResourceCustomizations? customizations = null)
{
    /// <summary>The app's tree as the cluster has it now; null when no app has that name (neither in the catalog nor recorded).</summary>
    public async Task<ResourceTree?> TreeAsync(string app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (await OpenAsync(app, cancellationToken) is not { } opened)
        {
            return null;
        }

        return new ResourceTree { App = app, Nodes = await BuildAsync(opened, cancellationToken) };
    }

    /// <summary>
    /// One object of the app's tree (a managed object or one it owns) as it is live, Secret values masked, with its section of the app's
    /// last diff; null when the app is unknown or the object is not part of its tree.
    /// </summary>
    public async Task<LiveResource?> ResourceAsync(string app, ResourceKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(key);
        if (await OpenAsync(app, cancellationToken) is not { } opened)
        {
            return null;
        }

        // Only objects of this app's tree are shown: the API is not a window onto the whole cluster.
        var node = Find(await BuildAsync(opened, cancellationToken), key);
        if (node is null)
        {
            return null;
        }

        var client = (await clusters.ConnectAsync(opened.Destination, cancellationToken)).Client;
        var resource = await client.ResolveAsync(node.Group.Length == 0 ? node.Version : $"{node.Group}/{node.Version}", node.Kind, cancellationToken);
        var live = await client.GetAsync(resource, resource.Namespaced ? node.Namespace : null, node.Name, cancellationToken);
        var manifest = live is null ? null : SecretMasking.Masked(live);
        (manifest?["metadata"] as System.Text.Json.Nodes.JsonObject)?.Remove("managedFields");
        return new LiveResource
        {
            Node = node,
            Manifest = manifest,
            Diff = node.Managed ? DiffSections.Of(opened.Status?.LastDiff, key) : string.Empty,
            ComparedAt = opened.Status?.ReconciledAt,
        };
    }

    /// <summary>True when an app of that name is in the catalog or has a recorded status.</summary>
    public async Task<bool> ExistsAsync(string app, CancellationToken cancellationToken) => await OpenAsync(app, cancellationToken) is not null;

    private async Task<IReadOnlyList<ResourceNode>> BuildAsync(Opened opened, CancellationToken cancellationToken)
    {
        var resources = opened.Status?.Resources ?? [];
        if (resources.Count == 0)
        {
            return [];
        }

        var client = (await clusters.ConnectAsync(opened.Destination, cancellationToken)).Client;
        return await ResourceTreeBuilder.BuildAsync(client, resources, HealthAssessor.With(opened.Customizations), cancellationToken);
    }

    private async Task<Opened?> OpenAsync(string app, CancellationToken cancellationToken)
    {
        AppStatus? status;
        try
        {
            status = await store.GetAsync(app, cancellationToken);
        }
        catch (ArgumentException)
        {
            // Not a valid app name: no such app.
            return null;
        }

        ApplicationCatalog? catalog;
        try
        {
            catalog = await catalogs.GetAsync(cancellationToken);
        }
        catch (AppValidationException)
        {
            // An invalid catalog still lets people look at what was recorded, at the destination recorded with it.
            catalog = null;
        }

        var application = catalog?.FindApplication(app);
        if (application is null && status is null)
        {
            return null;
        }

        var destination = application?.Destination ?? new ApplicationDestination
        {
            Server = status?.Spec?.DestinationServer,
            Name = status?.Spec?.DestinationName,
            Namespace = status?.Spec?.DestinationNamespace,
        };
        var merged = (customizations ?? ResourceCustomizations.None).Merge(catalog?.ResourceCustomizations ?? ResourceCustomizations.None);
        return new Opened(status, destination, merged);
    }

    private static ResourceNode? Find(IEnumerable<ResourceNode> nodes, ResourceKey key)
    {
        foreach (var node in nodes)
        {
            if (node.Group == key.Group && node.Kind == key.Kind && node.Namespace == key.Namespace && node.Name == key.Name)
            {
                return node;
            }

            if (Find(node.Children, key) is { } child)
            {
                return child;
            }
        }

        return null;
    }

    private sealed record Opened(AppStatus? Status, ApplicationDestination Destination, ResourceCustomizations Customizations);
}
