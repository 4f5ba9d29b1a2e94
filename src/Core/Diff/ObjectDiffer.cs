using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Resources;

namespace Ferry.Core.Diff;

/// <summary>Compares desired with live the cheap way (desired must be a subset of live), and confirms with a dry-run result.</summary>
public static class ObjectDiffer
{
    private const int MaxPaths = 20;

    private static readonly string[] QuantityHints = ["resources", "limits", "requests", "capacity", "storage", "hard", "sizeLimit"];

    /// <summary>Cheap comparison: every desired field must be in live with an equal value, and no field Ferry applied before may be missing from desired.</summary>
    public static DiffResult Compare(JsonObject desired, JsonObject? live, DiffOptions options)
    {
        if (live is null)
        {
            return new DiffResult(true, ["(missing)"]);
        }

        var key = ResourceKey.Of(desired);
        var want = Normalize(desired, live, key, options);
        var have = StripIgnored((JsonObject)live.DeepClone(), key, options);
        var paths = new List<string>();
        Subset(want, have, string.Empty, paths);

        // A field an earlier apply set but Git no longer has: server-side apply would remove it, so it is drift.
        // Ownership is recorded against what was sent (a Secret's stringData), so check against that form.
        var sent = want;
        if (desired["stringData"] is JsonObject stringData)
        {
            sent = (JsonObject)want.DeepClone();
            sent["stringData"] = stringData.DeepClone();
        }

        foreach (var owned in ManagedFields.Sets(live, [options.FieldManager], applyOnly: true))
        {
            foreach (var path in ManagedFields.Missing(sent, owned))
            {
                if (paths.Count < MaxPaths && !IsIgnoredPath(path))
                {
                    paths.Add($"{path} (removed)");
                }
            }
        }

        return paths.Count == 0 ? DiffResult.Same : new DiffResult(true, paths);
    }

    /// <summary>Confirms a suspected change: true when what the server would store (a dry-run answer) equals live, ignoring bookkeeping fields.</summary>
    public static bool SameAsDryRun(JsonObject dryRun, JsonObject live, DiffOptions options)
    {
        var key = ResourceKey.Of(live);
        var a = Comparable(StripIgnored((JsonObject)dryRun.DeepClone(), key, options));
        var b = Comparable(StripIgnored((JsonObject)live.DeepClone(), key, options));
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>A copy without the fields the server owns (status, resourceVersion, managedFields...), for display and comparison.</summary>
    public static JsonObject Comparable(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in (string[])["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"])
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
                annotations.Remove("deployment.kubernetes.io/revision");
                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        return copy;
    }

    /// <summary>The desired object as it is compared: no status, Secret stringData folded into data, ignored fields removed.</summary>
    internal static JsonObject Normalize(JsonObject desired, JsonObject? live, ResourceKey key, DiffOptions options)
    {
        var copy = (JsonObject)desired.DeepClone();
        copy.Remove("status");
        if (key is { Group: "", Kind: "Secret" } && copy["stringData"] is JsonObject stringData)
        {
            var data = copy["data"] as JsonObject ?? [];
            foreach (var (name, value) in stringData)
            {
                data[name] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? string.Empty));
            }

            copy.Remove("stringData");
            copy["data"] = data.DeepClone();
        }

        StripIgnored(copy, key, options);
        if (live is not null)
        {
            var managers = options.IgnoreDifferences.Where(r => Applies(r, key)).SelectMany(r => r.ManagedFieldsManagers).ToArray();
            if (managers.Length > 0)
            {
                foreach (var set in ManagedFields.Sets(live, managers))
                {
                    ManagedFields.Remove(copy, set);
                }
            }
        }

        return copy;
    }

    private static JsonObject StripIgnored(JsonObject obj, ResourceKey key, DiffOptions options)
    {
        foreach (var rule in options.IgnoreDifferences)
        {
            if (!Applies(rule, key))
            {
                continue;
            }

            foreach (var pointer in rule.JsonPointers)
            {
                FieldPaths.RemovePointer(obj, pointer);
            }

            foreach (var jq in rule.JqPathExpressions)
            {
                FieldPaths.RemoveJq(obj, jq);
            }
        }

        return obj;
    }

    /// <summary>Whether an ignore rule applies to the object (group, kind, name, namespace; "*" and null match all).</summary>
    public static bool Applies(IgnoreDifference rule, ResourceKey key) =>
        (rule.Group is null or "*" || rule.Group == key.Group)
        && (rule.Kind == "*" || rule.Kind == key.Kind)
        && (string.IsNullOrEmpty(rule.Name) || rule.Name == key.Name)
        && (string.IsNullOrEmpty(rule.Namespace) || rule.Namespace == key.Namespace);

    private static bool IsIgnoredPath(string path) =>
        path.StartsWith("/metadata/managedFields", StringComparison.Ordinal) || path.StartsWith("/status", StringComparison.Ordinal);

    private static void Subset(JsonNode? want, JsonNode? have, string path, List<string> paths)
    {
        if (paths.Count >= MaxPaths)
        {
            return;
        }

        switch (want)
        {
            case JsonObject wantObject:
                if (have is not JsonObject haveObject)
                {
                    if (wantObject.Count > 0 || have is not null)
                    {
                        paths.Add(path.Length == 0 ? "/" : path);
                    }

                    return;
                }

                foreach (var (name, value) in wantObject)
                {
                    var childPath = $"{path}/{name}";
                    if (!haveObject.TryGetPropertyValue(name, out var haveValue))
                    {
                        // Kubernetes drops null and empty values on write; they are not drift.
                        if (!IsEmpty(value))
                        {
                            paths.Add(childPath);
                        }

                        continue;
                    }

                    Subset(value, haveValue, childPath, paths);
                }

                return;
            case JsonArray wantArray:
                if (have is not JsonArray haveArray)
                {
                    if (!(wantArray.Count == 0 && have is null))
                    {
                        paths.Add(path);
                    }

                    return;
                }

                if (wantArray.Count != haveArray.Count)
                {
                    paths.Add(path);
                    return;
                }

                for (var i = 0; i < wantArray.Count; i++)
                {
                    Subset(wantArray[i], haveArray[i], $"{path}/{i}", paths);
                }

                return;
            case null:
                if (have is not null)
                {
                    paths.Add(path);
                }

                return;
            default:
                if (!ScalarEqual((JsonValue)want, have, path))
                {
                    paths.Add(path);
                }

                return;
        }
    }

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonArray a => a.Count == 0,
        _ => false,
    };

    private static bool ScalarEqual(JsonValue want, JsonNode? have, string path)
    {
        if (Scalars.Equal(want, have))
        {
            return true;
        }

        if (have is not JsonValue haveValue)
        {
            return false;
        }

        var wantText = Text(want);
        var haveText = Text(haveValue);
        if (wantText is null || haveText is null)
        {
            return false;
        }

        // int-or-string fields: desired 8080 and live "8080" are the same to the API.
        if (wantText == haveText && path.Contains("Port", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return QuantityHints.Any(h => path.Contains(h, StringComparison.Ordinal)) && Quantity.Equivalent(wantText, haveText);
    }

    private static string? Text(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => null,
    };
}
