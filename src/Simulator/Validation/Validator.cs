using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Simulator.Discovery;

namespace Ferry.Simulator.Validation;

/// <summary>The validation rules of the real server that manifests commonly break, producing the same causes.</summary>
internal static partial class Validator
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Validates an object about to be stored; an empty list means valid.</summary>
    public static List<Cause> Validate(ResourceType type, JsonObject obj)
    {
        var causes = new List<Cause>();
        var name = (string?)obj["metadata"]?["name"] ?? string.Empty;
        if (name.Length == 0)
        {
            causes.Add(new Cause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
        }
        else if (type.Kind is "Namespace" or "Service" && type.Group.Length == 0)
        {
            if (name.Length > 63 || !Label().IsMatch(name))
            {
                causes.Add(new Cause("FieldValueInvalid", $"Invalid value: \"{name}\": {LabelMessage}", "metadata.name"));
            }
        }
        else if (!type.IsCustom && type.Kind is not ("ClusterRole" or "Role" or "ClusterRoleBinding" or "RoleBinding") && (name.Length > 253 || !Subdomain().IsMatch(name)))
        {
            causes.Add(new Cause("FieldValueInvalid", $"Invalid value: \"{name}\": {SubdomainMessage}", "metadata.name"));
        }

        var spec = obj["spec"] as JsonObject;
        switch (type.Group, type.Kind)
        {
            case ("apps", "Deployment" or "ReplicaSet" or "StatefulSet" or "DaemonSet"):
                Workload(spec, causes);
                break;
            case ("batch", "Job"):
                PodSpec(spec?["template"]?["spec"] as JsonObject, "spec.template.spec", causes, jobTemplate: true);
                break;
            case ("batch", "CronJob"):
                if (string.IsNullOrEmpty((string?)spec?["schedule"]))
                {
                    causes.Add(new Cause("FieldValueRequired", "Required value", "spec.schedule"));
                }

                PodSpec(spec?["jobTemplate"]?["spec"]?["template"]?["spec"] as JsonObject, "spec.jobTemplate.spec.template.spec", causes, jobTemplate: true);
                break;
            case ("", "Pod"):
                PodSpec(spec, "spec", causes, jobTemplate: false);
                break;
            case ("", "Service"):
                var serviceType = (string?)spec?["type"] ?? "ClusterIP";
                if (serviceType != "ExternalName" && (string?)spec?["clusterIP"] != "None" && spec?["ports"] is not JsonArray { Count: > 0 })
                {
                    causes.Add(new Cause("FieldValueRequired", "Required value", "spec.ports"));
                }

                var index = 0;
                foreach (var port in (spec?["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
                {
                    var number = port["port"] is JsonValue v && v.TryGetValue<long>(out var p) ? p : (long?)null;
                    if (number is null)
                    {
                        causes.Add(new Cause("FieldValueRequired", "Required value", $"spec.ports[{index}].port"));
                    }
                    else if (number is < 1 or > 65535)
                    {
                        causes.Add(new Cause("FieldValueInvalid", $"Invalid value: {number}: must be between 1 and 65535, inclusive", $"spec.ports[{index}].port"));
                    }

                    index++;
                }

                break;
        }

        return causes;
    }

    /// <summary>The message of an Invalid Status: <c>Kind.group "name" is invalid: field: message</c> (several in brackets).</summary>
    public static string Message(ResourceType type, string name, IReadOnlyList<Cause> causes)
    {
        var parts = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var detail = parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        return $"{type.QualifiedKind} \"{name}\" is invalid: {detail}";
    }

    private static void Workload(JsonObject? spec, List<Cause> causes)
    {
        var selector = spec?["selector"] as JsonObject;
        var labels = spec?["template"]?["metadata"]?["labels"] as JsonObject;
        if (selector is null)
        {
            causes.Add(new Cause("FieldValueRequired", "Required value", "spec.selector"));
        }
        else if (!Matches(selector, labels))
        {
            causes.Add(new Cause("FieldValueInvalid", $"Invalid value: {GoMap(labels)}: `selector` does not match template `labels`", "spec.template.metadata.labels"));
        }

        PodSpec(spec?["template"]?["spec"] as JsonObject, "spec.template.spec", causes, jobTemplate: false);
    }

    private static void PodSpec(JsonObject? spec, string path, List<Cause> causes, bool jobTemplate)
    {
        if (spec?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            causes.Add(new Cause("FieldValueRequired", "Required value", $"{path}.containers"));
        }
        else
        {
            for (var i = 0; i < containers.Count; i++)
            {
                var container = containers[i] as JsonObject;
                var containerName = (string?)container?["name"];
                if (string.IsNullOrEmpty(containerName))
                {
                    causes.Add(new Cause("FieldValueRequired", "Required value", $"{path}.containers[{i}].name"));
                }
                else if (containerName.Length > 63 || !Label().IsMatch(containerName))
                {
                    causes.Add(new Cause("FieldValueInvalid", $"Invalid value: \"{containerName}\": {LabelMessage}", $"{path}.containers[{i}].name"));
                }

                if (string.IsNullOrEmpty((string?)container?["image"]))
                {
                    causes.Add(new Cause("FieldValueRequired", "Required value", $"{path}.containers[{i}].image"));
                }
            }
        }

        if (jobTemplate && spec is not null)
        {
            var policy = (string?)spec["restartPolicy"] ?? "Always";
            if (policy is not ("OnFailure" or "Never"))
            {
                causes.Add(new Cause("FieldValueNotSupported", $"Unsupported value: \"{policy}\": supported values: \"OnFailure\", \"Never\"", $"{path}.restartPolicy"));
            }
        }
    }

    /// <summary>Whether a label selector (matchLabels and matchExpressions) selects the given labels.</summary>
    private static bool Matches(JsonObject selector, JsonObject? labels)
    {
        string? Label(string key) => labels?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (Label(key) != (string?)value)
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var key = (string?)expression["key"] ?? string.Empty;
            var values = (expression["values"] as JsonArray)?.Select(v => (string?)v).ToHashSet() ?? [];
            var actual = Label(key);
            var ok = (string?)expression["operator"] switch
            {
                "In" => actual is not null && values.Contains(actual),
                "NotIn" => actual is null || !values.Contains(actual),
                "Exists" => actual is not null,
                "DoesNotExist" => actual is null,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Formats labels as Go's <c>%#v</c> of a map[string]string, keys sorted.</summary>
    private static string GoMap(JsonObject? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return "map[string]string(nil)";
        }

        var builder = new StringBuilder("map[string]string{");
        builder.AppendJoin(", ", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{(string?)p.Value}\""));
        return builder.Append('}').ToString();
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
