using System.Text;
using System.Text.Json.Nodes;
using Ferry.Simulator.Discovery;

namespace Ferry.Simulator.Defaulting;

/// <summary>Fills in the defaults the real server adds (the ones that show up when diffing live against desired), table by kind.</summary>
internal sealed class Defaulter
{
    private int nextClusterIp = 10;
    private int nextNodePort;

    /// <summary>Applies defaults and conversions (Secret stringData, quantities) to an object about to be stored.</summary>
    public void Apply(ResourceType type, JsonObject obj, bool creating)
    {
        var spec = obj["spec"] as JsonObject;
        switch (type.Group, type.Kind)
        {
            case ("", "Namespace"):
                Labels(obj)["kubernetes.io/metadata.name"] = (string?)obj["metadata"]?["name"];
                Object(obj, "spec").TryAdd("finalizers", new JsonArray("kubernetes"));
                if (creating)
                {
                    Object(obj, "status").TryAdd("phase", "Active");
                }

                break;
            case ("apps", "Deployment"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("replicas", 1);
                var strategy = Object(spec, "strategy");
                strategy.TryAdd("type", "RollingUpdate");
                if ((string?)strategy["type"] == "RollingUpdate")
                {
                    var rolling = Object(strategy, "rollingUpdate");
                    rolling.TryAdd("maxUnavailable", "25%");
                    rolling.TryAdd("maxSurge", "25%");
                }

                spec.TryAdd("revisionHistoryLimit", 10);
                spec.TryAdd("progressDeadlineSeconds", 600);
                PodTemplate(spec["template"] as JsonObject, "Always");
                obj.TryAdd("status", new JsonObject());
                break;
            case ("apps", "StatefulSet"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("replicas", 1);
                PodTemplate(spec["template"] as JsonObject, "Always");
                spec.TryAdd("podManagementPolicy", "OrderedReady");
                var update = Object(spec, "updateStrategy");
                update.TryAdd("type", "RollingUpdate");
                if ((string?)update["type"] == "RollingUpdate")
                {
                    Object(update, "rollingUpdate").TryAdd("partition", 0);
                }

                spec.TryAdd("revisionHistoryLimit", 10);
                foreach (var claim in (spec["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    Object(claim, "spec").TryAdd("volumeMode", "Filesystem");
                    Quantity.CanonicalizeMap(claim["spec"]?["resources"]?["requests"]);
                }

                obj.TryAdd("status", new JsonObject { ["replicas"] = 0, ["availableReplicas"] = 0 });
                break;
            case ("apps", "DaemonSet"):
                spec ??= Object(obj, "spec");
                PodTemplate(spec["template"] as JsonObject, "Always");
                var dsUpdate = Object(spec, "updateStrategy");
                dsUpdate.TryAdd("type", "RollingUpdate");
                if ((string?)dsUpdate["type"] == "RollingUpdate")
                {
                    var rolling = Object(dsUpdate, "rollingUpdate");
                    rolling.TryAdd("maxUnavailable", 1);
                    rolling.TryAdd("maxSurge", 0);
                }

                spec.TryAdd("revisionHistoryLimit", 10);
                obj.TryAdd("status", new JsonObject { ["currentNumberScheduled"] = 0, ["numberMisscheduled"] = 0, ["desiredNumberScheduled"] = 0, ["numberReady"] = 0 });
                break;
            case ("apps", "ReplicaSet"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("replicas", 1);
                PodTemplate(spec["template"] as JsonObject, "Always");
                obj.TryAdd("status", new JsonObject { ["replicas"] = 0 });
                break;
            case ("batch", "Job"):
                spec ??= Object(obj, "spec");
                Job(obj, spec);
                obj.TryAdd("status", new JsonObject());
                break;
            case ("batch", "CronJob"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("concurrencyPolicy", "Allow");
                spec.TryAdd("suspend", false);
                if (spec["jobTemplate"] is JsonObject jobTemplate)
                {
                    CreationTimestampFirst(Object(jobTemplate, "metadata"));
                    PodTemplate(jobTemplate["spec"]?["template"] as JsonObject, null);
                }

                spec.TryAdd("successfulJobsHistoryLimit", 3);
                spec.TryAdd("failedJobsHistoryLimit", 1);
                obj.TryAdd("status", new JsonObject());
                break;
            case ("", "Pod"):
                spec ??= Object(obj, "spec");
                PodSpec(spec, "Always");
                spec.TryAdd("serviceAccountName", "default");
                spec.TryAdd("serviceAccount", "default");
                spec.TryAdd("enableServiceLinks", true);
                spec.TryAdd("preemptionPolicy", "PreemptLowerPriority");
                spec.TryAdd("priority", 0);
                if (creating)
                {
                    obj.TryAdd("status", new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" });
                }

                break;
            case ("", "Service"):
                Service(obj, spec ?? Object(obj, "spec"));
                break;
            case ("", "Secret"):
                Secret(obj);
                break;
            case ("", "PersistentVolumeClaim"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("volumeMode", "Filesystem");
                Quantity.CanonicalizeMap(spec["resources"]?["requests"]);
                Quantity.CanonicalizeMap(spec["resources"]?["limits"]);
                if (creating)
                {
                    obj.TryAdd("status", new JsonObject { ["phase"] = "Pending" });
                }

                break;
            case ("", "ResourceQuota"):
                Quantity.CanonicalizeMap(spec?["hard"]);
                break;
            case ("networking.k8s.io", "Ingress"):
                obj.TryAdd("status", new JsonObject { ["loadBalancer"] = new JsonObject() });
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                spec ??= Object(obj, "spec");
                spec.TryAdd("conversion", new JsonObject { ["strategy"] = "None" });
                if (creating)
                {
                    var storage = (spec["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => (bool?)v["storage"] == true)?["name"]?.GetValue<string>();
                    obj.TryAdd("status", new JsonObject
                    {
                        ["conditions"] = null,
                        ["acceptedNames"] = new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty },
                        ["storedVersions"] = storage is null ? new JsonArray() : new JsonArray(storage),
                    });
                }

                break;
        }
    }

    /// <summary>Canonicalises quantities anywhere in an object (resources requests/limits, quota hard), as decoding does.</summary>
    public static void Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "resources" && value is JsonObject resources)
                    {
                        Quantity.CanonicalizeMap(resources["requests"]);
                        Quantity.CanonicalizeMap(resources["limits"]);
                    }
                    else if (key is "hard" or "capacity" or "allocatable")
                    {
                        Quantity.CanonicalizeMap(value);
                    }
                    else
                    {
                        Normalize(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Normalize(item);
                }

                break;
        }
    }

    private void Job(JsonObject obj, JsonObject spec)
    {
        var uid = (string?)obj["metadata"]?["uid"] ?? string.Empty;
        var name = (string?)obj["metadata"]?["name"] ?? string.Empty;
        spec.TryAdd("parallelism", 1);
        spec.TryAdd("completions", 1);
        spec.TryAdd("backoffLimit", 6);
        if ((bool?)spec["manualSelector"] != true)
        {
            spec.TryAdd("selector", new JsonObject { ["matchLabels"] = new JsonObject { ["controller-uid"] = uid } });
            if (spec["template"] is JsonObject template)
            {
                var labels = Object(Object(template, "metadata"), "labels");
                labels.TryAdd("controller-uid", uid);
                labels.TryAdd("job-name", name);
            }
        }

        var metadata = Object(obj, "metadata");
        if (metadata["labels"] is null && spec["template"]?["metadata"]?["labels"] is JsonObject templateLabels)
        {
            metadata["labels"] = templateLabels.DeepClone();
        }

        Object(metadata, "annotations").TryAdd("batch.kubernetes.io/job-tracking", string.Empty);
        PodTemplate(spec["template"] as JsonObject, null);
        spec.TryAdd("completionMode", "NonIndexed");
        spec.TryAdd("suspend", false);
    }

    private void Service(JsonObject obj, JsonObject spec)
    {
        var type = (string?)spec["type"] ?? "ClusterIP";
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [])
        {
            port.TryAdd("protocol", "TCP");
            if (type != "ExternalName")
            {
                port.TryAdd("targetPort", port["port"]?.DeepClone());
            }

            if (type is "NodePort" or "LoadBalancer")
            {
                port.TryAdd("nodePort", 30000 + (Interlocked.Increment(ref nextNodePort) % 2768));
            }

            Reorder(port, "name", "protocol", "appProtocol", "port", "targetPort", "nodePort");
        }

        if (type != "ExternalName")
        {
            if (spec["clusterIP"] is null)
            {
                var n = Interlocked.Increment(ref nextClusterIp);
                spec["clusterIP"] = $"10.96.{(n / 250) % 250}.{n % 250 + 1}";
            }

            spec.TryAdd("clusterIPs", new JsonArray(spec["clusterIP"]!.DeepClone()));
        }

        spec.TryAdd("type", type);
        spec.TryAdd("sessionAffinity", "None");
        if (type is "NodePort" or "LoadBalancer")
        {
            spec.TryAdd("externalTrafficPolicy", "Cluster");
        }

        if (type != "ExternalName")
        {
            spec.TryAdd("ipFamilies", new JsonArray("IPv4"));
            spec.TryAdd("ipFamilyPolicy", "SingleStack");
        }

        if (type == "LoadBalancer")
        {
            spec.TryAdd("allocateLoadBalancerNodePorts", true);
        }

        if (type != "ExternalName")
        {
            spec.TryAdd("internalTrafficPolicy", "Cluster");
        }

        obj.TryAdd("status", new JsonObject { ["loadBalancer"] = new JsonObject() });
    }

    private static void Secret(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject stringData)
        {
            var data = Object(obj, "data");
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? string.Empty));
            }

            obj.Remove("stringData");
        }

        obj.TryAdd("type", "Opaque");
    }

    private static void PodTemplate(JsonObject? template, string? restartPolicy)
    {
        if (template is null)
        {
            return;
        }

        CreationTimestampFirst(Object(template, "metadata"));
        if (template["spec"] is JsonObject spec)
        {
            PodSpec(spec, restartPolicy);
        }
    }

    private static void PodSpec(JsonObject spec, string? restartPolicy)
    {
        foreach (var list in new[] { "initContainers", "containers", "ephemeralContainers" })
        {
            foreach (var container in (spec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                Container(container);
            }
        }

        foreach (var volume in (spec["volumes"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            foreach (var source in new[] { "configMap", "secret", "projected", "downwardAPI" })
            {
                (volume[source] as JsonObject)?.TryAdd("defaultMode", 420);
            }
        }

        if (restartPolicy is not null)
        {
            spec.TryAdd("restartPolicy", restartPolicy);
        }

        spec.TryAdd("terminationGracePeriodSeconds", 30);
        spec.TryAdd("dnsPolicy", "ClusterFirst");
        spec.TryAdd("securityContext", new JsonObject());
        spec.TryAdd("schedulerName", "default-scheduler");
    }

    private static void Container(JsonObject container)
    {
        foreach (var port in (container["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port.TryAdd("protocol", "TCP");
        }

        foreach (var env in (container["env"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            (env["valueFrom"]?["fieldRef"] as JsonObject)?.TryAdd("apiVersion", "v1");
        }

        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (container[probe] is JsonObject p)
            {
                (p["httpGet"] as JsonObject)?.TryAdd("scheme", "HTTP");
                p.TryAdd("timeoutSeconds", 1);
                p.TryAdd("periodSeconds", 10);
                p.TryAdd("successThreshold", 1);
                p.TryAdd("failureThreshold", 3);
            }
        }

        if (container["resources"] is JsonObject resources)
        {
            Quantity.CanonicalizeMap(resources["requests"]);
            Quantity.CanonicalizeMap(resources["limits"]);
        }
        else
        {
            container.TryAdd("resources", new JsonObject());
        }

        container.TryAdd("terminationMessagePath", "/dev/termination-log");
        container.TryAdd("terminationMessagePolicy", "File");
        container.TryAdd("imagePullPolicy", PullPolicy((string?)container["image"]));
    }

    /// <summary>Always for <c>:latest</c> or untagged images, IfNotPresent otherwise (digests count as tags).</summary>
    private static string PullPolicy(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@'))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        return colon < 0 || image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    /// <summary>Pod templates carry <c>creationTimestamp: null</c> first, as the real server serialises an empty ObjectMeta.</summary>
    private static void CreationTimestampFirst(JsonObject metadata)
    {
        if (metadata.ContainsKey("creationTimestamp"))
        {
            return;
        }

        var rest = metadata.ToList();
        metadata.Clear();
        metadata["creationTimestamp"] = null;
        foreach (var (k, v) in rest)
        {
            metadata[k] = v;
        }
    }

    private static JsonObject Labels(JsonObject obj) => Object(Object(obj, "metadata"), "labels");

    /// <summary>The child object at a key, created when missing.</summary>
    internal static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static void Reorder(JsonObject obj, params string[] order)
    {
        var rest = obj.ToList();
        obj.Clear();
        foreach (var key in order)
        {
            var pair = rest.FirstOrDefault(p => p.Key == key);
            if (pair.Key is not null)
            {
                obj[key] = pair.Value;
            }
        }

        foreach (var (k, v) in rest.Where(p => !order.Contains(p.Key)))
        {
            obj[k] = v;
        }
    }
}
