using System.Text.Json.Nodes;
using Ferry.Core.Live;

namespace Ferry.Functions.Web;

/// <summary>The JSON of an app's resource tree and of one live resource, in the camelCase field names of Argo CD's resource tree.</summary>
internal static class ResourceTreeDocument
{
    /// <summary><c>{"app","nodes":[…]}</c>, each node with its children nested.</summary>
    public static JsonObject From(ResourceTree tree) => new()
    {
        ["app"] = tree.App,
        ["nodes"] = new JsonArray([.. tree.Nodes.Select(Node)]),
    };

    /// <summary>The node's fields (without children) plus <c>liveState</c> (null when absent), <c>diff</c> and <c>comparedAt</c>.</summary>
    public static JsonObject From(LiveResource resource)
    {
        var document = Node(resource.Node, children: false);
        document["liveState"] = resource.Manifest?.DeepClone();
        document["diff"] = resource.Diff;
        document["comparedAt"] = resource.ComparedAt is { } at ? RelativeTime.Rfc3339(at) : null;
        return document;
    }

    private static JsonObject Node(ResourceNode node) => Node(node, children: true);

    private static JsonObject Node(ResourceNode node, bool children)
    {
        var document = new JsonObject
        {
            ["group"] = node.Group,
            ["version"] = node.Version,
            ["kind"] = node.Kind,
            ["namespace"] = node.Namespace,
            ["name"] = node.Name,
            ["uid"] = node.Uid,
            ["managed"] = node.Managed,
            ["status"] = node.Status?.ToString(),
        };
        if (node.Health is { } health)
        {
            document["health"] = health.Message is null
                ? new JsonObject { ["status"] = health.Status.ToString() }
                : new JsonObject { ["status"] = health.Status.ToString(), ["message"] = health.Message };
        }

        if (children)
        {
            document["children"] = new JsonArray([.. node.Children.Select(Node)]);
        }

        return document;
    }
}
