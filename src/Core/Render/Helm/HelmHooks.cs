using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Helm;

/// <summary>Maps Helm hook annotations onto Argo CD's, as Argo CD does when it syncs a Helm chart.</summary>
internal static class HelmHooks
{
    public const string HelmHook = "helm.sh/hook";
    public const string HelmDeletePolicy = "helm.sh/hook-delete-policy";
    public const string HelmWeight = "helm.sh/hook-weight";
    public const string ArgoHook = "argocd.argoproj.io/hook";
    public const string ArgoDeletePolicy = "argocd.argoproj.io/hook-delete-policy";
    public const string ArgoSyncWave = "argocd.argoproj.io/sync-wave";

    private static readonly Dictionary<string, string> Phases = new(StringComparer.Ordinal)
    {
        ["crd-install"] = "PreSync",
        ["pre-install"] = "PreSync",
        ["pre-upgrade"] = "PreSync",
        ["post-install"] = "PostSync",
        ["post-upgrade"] = "PostSync",
        ["post-delete"] = "PostDelete",
    };

    private static readonly Dictionary<string, string> DeletePolicies = new(StringComparer.Ordinal)
    {
        ["before-hook-creation"] = "BeforeHookCreation",
        ["hook-succeeded"] = "HookSucceeded",
        ["hook-failed"] = "HookFailed",
    };

    /// <summary>Adds Argo's hook, delete-policy and sync-wave annotations to an object carrying Helm's, unless it already has Argo's own.</summary>
    public static void Map(JsonObject obj)
    {
        if (obj["metadata"]?["annotations"] is not JsonObject annotations || annotations[HelmHook] is not JsonValue hookValue || annotations.ContainsKey(ArgoHook))
        {
            return;
        }

        var hooks = Split(hookValue.ToString());
        var phases = hooks.Select(h => Phases.GetValueOrDefault(h)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // Hooks Argo has no phase for (pre-delete, rollback, test) are never applied by Argo; Skip says the same to Ferry's sync.
        annotations[ArgoHook] = phases.Count == 0 ? "Skip" : string.Join(',', phases);

        if (annotations[HelmDeletePolicy] is JsonValue policyValue && !annotations.ContainsKey(ArgoDeletePolicy))
        {
            var policies = Split(policyValue.ToString()).Select(p => DeletePolicies.GetValueOrDefault(p)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (policies.Count > 0)
            {
                annotations[ArgoDeletePolicy] = string.Join(',', policies);
            }
        }

        if (annotations[HelmWeight] is JsonValue weight && !annotations.ContainsKey(ArgoSyncWave))
        {
            annotations[ArgoSyncWave] = weight.ToString().Trim();
        }
    }

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
