namespace Ferry.Core.Kube;

/// <summary>One API resource from discovery: how a (group, version, kind) maps to a REST path.</summary>
public sealed record ApiResource(string Group, string Version, string Kind, string Name, bool Namespaced, IReadOnlyList<string> Verbs)
{
    /// <summary>The apiVersion string (<c>v1</c> or <c>group/version</c>).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path, e.g. <c>/apis/apps/v1/namespaces/ns/deployments</c>; <paramref name="ns"/> is ignored for cluster-scoped resources.</summary>
    public string CollectionPath(string? ns)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(ns)
            ? $"{prefix}/namespaces/{Uri.EscapeDataString(ns)}/{Name}"
            : $"{prefix}/{Name}";
    }

    /// <summary>The path of one object.</summary>
    public string ObjectPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";
}
