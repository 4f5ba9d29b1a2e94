using System.Text.Json.Nodes;

namespace Ferry.Core.Health;

/// <summary>Argo CD's and Helm's hook annotations, as far as health needs them.</summary>
internal static class HookAnnotations
{
    public const string ArgoHook = "argocd.argoproj.io/hook";
    public const string HelmHook = "helm.sh/hook";
    public const string HookFinalizer = "argocd.argoproj.io/hook-finalizer";

    /// <summary>True for a sync hook: an Argo hook annotation other than only <c>Skip</c>, else a Helm hook other than <c>crd-install</c>.</summary>
    public static bool IsHook(JsonObject live)
    {
        if (live.Annotation(ArgoHook) is { } argo)
        {
            var types = argo.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return !(types.Length == 1 && types[0] == "Skip");
        }

        return live.Annotation(HelmHook) is { } helm && helm != "crd-install";
    }

    /// <summary>True when the object carries Argo's hook finalizer (deletion then waits for the sync phase).</summary>
    public static bool HasHookFinalizer(JsonObject live) =>
        live.At("metadata", "finalizers") is JsonArray finalizers && finalizers.Any(f => f is JsonValue v && v.TryGetValue<string>(out var s) && s == HookFinalizer);
}
