using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Render;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps;

/// <summary>Turns an Application or AppProject document into the model, reporting errors and unknown fields through a <see cref="DocumentReader"/>.</summary>
internal static class ApplicationParser
{
    private static readonly string[] MetadataFields =
    [
        "name", "namespace", "labels", "annotations", "finalizers", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "managedFields", "ownerReferences", "generateName",
    ];

    public static Application? ParseApplication(JsonObject doc, DocumentReader r)
    {
        r.Known(doc, string.Empty, "apiVersion", "kind", "metadata", "spec", "status", "operation");
        var metadata = r.Object(doc, string.Empty, "metadata", required: true) ?? [];
        r.Known(metadata, "metadata", MetadataFields);
        var name = r.String(metadata, "metadata", "name", required: true);
        var spec = r.Object(doc, string.Empty, "spec", required: true) ?? [];
        r.Known(spec, "spec", "source", "sources", "destination", "project", "syncPolicy", "ignoreDifferences", "revisionHistoryLimit", "info", "sourceHydrator");
        r.Unsupported(spec, "spec", "sourceHydrator", "not supported by Ferry; kept but not used");
        r.Unsupported(spec, "spec", "info", "informational; kept but not used");
        var sources = ParseSources(r, spec);
        var source = sources is null ? ParseSource(r, spec) : sources.FirstOrDefault(s => s.RendersManifests) ?? sources.FirstOrDefault();
        var destination = ParseDestination(r, spec);
        var project = r.String(spec, "spec", "project") ?? AppProject.DefaultName;
        if (project.Length == 0)
        {
            project = AppProject.DefaultName;
        }

        var history = r.Integer(spec, "spec", "revisionHistoryLimit");
        if (history is < 0)
        {
            r.Error("spec.revisionHistoryLimit", "must not be negative");
        }

        var application = new Application
        {
            Name = name ?? string.Empty,
            Namespace = r.String(metadata, "metadata", "namespace"),
            Labels = r.StringMap(metadata, "metadata", "labels"),
            Annotations = r.StringMap(metadata, "metadata", "annotations"),
            Project = project,
            Source = source ?? new ApplicationSource { RepoUrl = string.Empty },
            Sources = sources ?? [],
            Destination = destination ?? new ApplicationDestination(),
            SyncPolicy = ParseSyncPolicy(r, spec),
            IgnoreDifferences = ParseIgnoreDifferences(r, spec),
            RevisionHistoryLimit = history is { } h and >= 0 ? (int)Math.Min(h, int.MaxValue) : 10,
            File = r.File,
            Line = r.Line,
            Raw = doc,
        };
        return r.Errors.Count == 0 ? application : null;
    }

    public static AppProject? ParseProject(JsonObject doc, DocumentReader r)
    {
        r.Known(doc, string.Empty, "apiVersion", "kind", "metadata", "spec", "status");
        var metadata = r.Object(doc, string.Empty, "metadata", required: true) ?? [];
        r.Known(metadata, "metadata", MetadataFields);
        var name = r.String(metadata, "metadata", "name", required: true);
        var spec = r.Object(doc, string.Empty, "spec") ?? [];
        r.Known(
            spec,
            "spec",
            "sourceRepos", "destinations", "clusterResourceWhitelist", "clusterResourceBlacklist", "namespaceResourceWhitelist",
            "namespaceResourceBlacklist", "description", "roles", "syncWindows", "orphanedResources", "signatureKeys",
            "sourceNamespaces", "permitOnlyProjectScopedClusters", "destinationServiceAccounts");
        r.Unsupported(spec, "spec", "roles", "RBAC roles are not enforced by Ferry; kept but not used");
        r.Unsupported(spec, "spec", "orphanedResources", "orphaned-resource monitoring is not implemented by Ferry; kept but not used");
        r.Unsupported(spec, "spec", "signatureKeys", "commit signature verification is not implemented by Ferry; kept but not used");
        r.Unsupported(spec, "spec", "destinationServiceAccounts", "impersonation is not implemented by Ferry; kept but not used");
        var destinations = new List<ProjectDestination>();
        if (r.Array(spec, "spec", "destinations") is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var path = $"spec.destinations[{i}]";
                if (list[i] is not JsonObject item)
                {
                    r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                    continue;
                }

                r.Known(item, path, "server", "name", "namespace");
                destinations.Add(new ProjectDestination
                {
                    Server = r.String(item, path, "server"),
                    Name = r.String(item, path, "name"),
                    Namespace = r.String(item, path, "namespace"),
                });
            }
        }

        var project = new AppProject
        {
            Name = name ?? string.Empty,
            SourceRepos = r.Strings(spec, "spec", "sourceRepos"),
            Destinations = destinations,
            ClusterResourceWhitelist = GroupKinds(r, spec, "clusterResourceWhitelist") ?? [],
            ClusterResourceBlacklist = GroupKinds(r, spec, "clusterResourceBlacklist") ?? [],
            NamespaceResourceWhitelist = GroupKinds(r, spec, "namespaceResourceWhitelist"),
            NamespaceResourceBlacklist = GroupKinds(r, spec, "namespaceResourceBlacklist") ?? [],
            SyncWindows = SyncWindowParser.Parse(r, spec, name ?? string.Empty),
            File = r.File,
            Line = r.Line,
        };
        return r.Errors.Count == 0 ? project : null;
    }

    private static ApplicationSource? ParseSource(DocumentReader r, JsonObject spec)
    {
        var source = r.Object(spec, "spec", "source", required: spec["sources"] is null);
        if (source is null)
        {
            return null;
        }

        if (source["ref"] is not null)
        {
            r.Error("spec.source.ref", "ref is only meaningful in spec.sources");
        }

        return ParseSourceObject(r, source, "spec.source");
    }

    /// <summary>spec.sources: each source as spec.source, plus ref; $ref value files must name a ref of this list. Null when unset.</summary>
    private static IReadOnlyList<ApplicationSource>? ParseSources(DocumentReader r, JsonObject spec)
    {
        if (spec["sources"] is null)
        {
            return null;
        }

        if (spec["source"] is not null)
        {
            r.Error("spec.sources", "set either spec.source or spec.sources, not both");
        }

        var list = r.Array(spec, "spec", "sources") ?? [];
        if (list.Count == 0)
        {
            r.Error("spec.sources", "must list at least one source");
        }

        var sources = new List<ApplicationSource>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"spec.sources[{i}]";
            if (list[i] is not JsonObject item)
            {
                r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                continue;
            }

            sources.Add(ParseSourceObject(r, item, path));
        }

        var refs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].Ref is { } name && !refs.Add(name))
            {
                r.Error($"spec.sources[{i}].ref", $"ref '{name}' is used by more than one source");
            }
        }

        for (var i = 0; i < sources.Count; i++)
        {
            var valueFiles = sources[i].Helm?.ValueFiles ?? [];
            for (var j = 0; j < valueFiles.Count; j++)
            {
                if (valueFiles[j].StartsWith('$') && !refs.Contains(RefName(valueFiles[j])))
                {
                    r.Error($"spec.sources[{i}].helm.valueFiles[{j}]", $"'{valueFiles[j]}' names ref '{RefName(valueFiles[j])}', which no source of spec.sources declares");
                }
            }
        }

        if (sources.Count > 0 && sources.All(s => !s.RendersManifests))
        {
            r.Error("spec.sources", "every source is a ref without a path; at least one source must render manifests");
        }

        return sources;
    }

    private static string RefName(string valueFile) => valueFile[1..].Split('/', 2)[0];

    private static ApplicationSource ParseSourceObject(DocumentReader r, JsonObject source, string path)
    {
        r.Known(source, path, "repoURL", "targetRevision", "path", "directory", "kustomize", "helm", "chart", "plugin", "ref", "name");
        if (source["plugin"] is not null)
        {
            r.Error($"{path}.plugin", "config management plugins are not supported; use directory, kustomize or helm");
        }

        var explicitTools = new[] { "directory", "kustomize", "helm" }.Where(t => source[t] is not null).ToList();
        if (explicitTools.Count > 1)
        {
            r.Error($"{path}.{explicitTools[1]}", $"only one of directory, kustomize and helm may be set (found {string.Join(" and ", explicitTools)})");
        }

        var sourcePath = r.String(source, path, "path");
        var reference = NullIfEmpty(r.String(source, path, "ref"));
        if (reference is not null && !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            r.Error($"{path}.ref", $"'{reference}' is not a valid ref name (letters, digits, '-' and '_')");
        }

        var repoUrl = r.String(source, path, "repoURL", required: true) ?? string.Empty;
        var chart = NullIfEmpty(r.String(source, path, "chart"));
        var targetRevision = r.String(source, path, "targetRevision") is { Length: > 0 } revision ? revision : "HEAD";
        var isChart = chart is not null || repoUrl.StartsWith("oci://", StringComparison.OrdinalIgnoreCase);
        if (isChart)
        {
            // A Helm chart from a chart repository or an OCI registry: targetRevision is the chart version or a semver constraint.
            ValidateChartSource(r, source, path, repoUrl, chart, sourcePath, reference, targetRevision);
        }

        return new ApplicationSource
        {
            Chart = chart,
            Ref = reference,
            RendersManifests = reference is null || !string.IsNullOrEmpty(sourcePath),
            RepoUrl = repoUrl,
            TargetRevision = targetRevision,
            Path = string.IsNullOrEmpty(sourcePath) || isChart ? "." : sourcePath,
            Directory = ParseDirectory(r, source, path),
            Kustomize = ParseKustomize(r, source, path),
            Helm = ParseHelm(r, source, path),
        };
    }

    /// <summary>A chart source: an http(s) repository or OCI registry, the chart named (or last in an <c>oci://</c> reference), a valid version or constraint.</summary>
    private static void ValidateChartSource(DocumentReader r, JsonObject source, string path, string repoUrl, string? chart, string? sourcePath, string? reference, string targetRevision)
    {
        if (repoUrl.StartsWith("git@", StringComparison.Ordinal) || repoUrl.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
            || repoUrl.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            r.Error($"{path}.repoURL", $"'{repoUrl}' is a Git URL, but chart is set: a chart comes from an https:// chart repository or an OCI registry (oci://host/path or host/path)");
        }

        var location = Charts.ChartLocation.From(repoUrl, chart);
        if (location is { IsOci: true } && (location.Registry.Length == 0 || location.Repository.Length == 0 || location.Chart.Length == 0))
        {
            r.Error($"{path}.repoURL", $"'{repoUrl}' does not name an OCI registry and chart (oci://registry/path/chart, or registry/path with chart)");
        }

        if (chart is null && !string.IsNullOrEmpty(sourcePath) && sourcePath is not "." and not "./")
        {
            r.Error($"{path}.path", "an OCI Helm chart is rendered whole: path must be '.' (Ferry renders OCI artifacts that are Helm charts)");
        }

        foreach (var tool in new[] { "directory", "kustomize" })
        {
            if (source[tool] is not null)
            {
                r.Error($"{path}.{tool}", $"a Helm chart from a chart repository is rendered with helm; {tool} options do not apply");
            }
        }

        if (reference is not null)
        {
            r.Error($"{path}.ref", "a ref source lends a Git checkout to $ref value files; it cannot be a Helm chart");
        }

        try
        {
            Charts.ChartVersions.Validate(targetRevision);
        }
        catch (FormatException ex)
        {
            r.Error($"{path}.targetRevision", ex.Message);
        }
    }

    private static DirectoryOptions? ParseDirectory(DocumentReader r, JsonObject source, string sourcePath)
    {
        var path = $"{sourcePath}.directory";
        var directory = r.Object(source, sourcePath, "directory");
        if (directory is null)
        {
            return null;
        }

        r.Known(directory, path, "recurse", "include", "exclude", "jsonnet");
        r.Unsupported(directory, path, "jsonnet", "jsonnet is not supported by Ferry; kept but not used");
        return new DirectoryOptions
        {
            Recurse = r.Bool(directory, path, "recurse"),
            Include = NullIfEmpty(r.String(directory, path, "include")),
            Exclude = NullIfEmpty(r.String(directory, path, "exclude")),
        };
    }

    private static KustomizeOptions? ParseKustomize(DocumentReader r, JsonObject source, string sourcePath)
    {
        var path = $"{sourcePath}.kustomize";
        var kustomize = r.Object(source, sourcePath, "kustomize");
        if (kustomize is null)
        {
            return null;
        }

        r.Known(
            kustomize,
            path,
            "images", "namePrefix", "nameSuffix", "commonLabels", "commonAnnotations", "namespace", "replicas",
            "version", "forceCommonLabels", "forceCommonAnnotations", "commonAnnotationsEnvsubst", "patches", "components", "labelWithoutSelector", "kubeVersion", "apiVersions");
        foreach (var unsupported in new[] { "version", "forceCommonLabels", "forceCommonAnnotations", "commonAnnotationsEnvsubst", "patches", "components", "labelWithoutSelector", "kubeVersion", "apiVersions" })
        {
            r.Unsupported(kustomize, path, unsupported, "not supported by Ferry's kustomize options; kept but not used");
        }

        var replicas = new List<KustomizeReplica>();
        if (r.Array(kustomize, path, "replicas") is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var itemPath = $"{path}.replicas[{i}]";
                if (list[i] is not JsonObject item)
                {
                    r.Error(itemPath, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                    continue;
                }

                r.Known(item, itemPath, "name", "count");
                var name = r.String(item, itemPath, "name", required: true);
                // Argo's count is an int-or-string.
                int? count = item["count"] switch
                {
                    JsonValue v when v.TryGetValue<long>(out var l) && l is >= 0 and <= int.MaxValue => (int)l,
                    JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), out var parsed) && parsed >= 0 => parsed,
                    _ => null,
                };
                if (count is null)
                {
                    r.Error($"{itemPath}.count", $"must be a non-negative integer, got {DocumentReader.Describe(item["count"])}");
                }
                else if (name is not null)
                {
                    replicas.Add(new KustomizeReplica(name, count.Value));
                }
            }
        }

        return new KustomizeOptions
        {
            Images = r.Strings(kustomize, path, "images"),
            NamePrefix = NullIfEmpty(r.String(kustomize, path, "namePrefix")),
            NameSuffix = NullIfEmpty(r.String(kustomize, path, "nameSuffix")),
            CommonLabels = r.StringMap(kustomize, path, "commonLabels"),
            CommonAnnotations = r.StringMap(kustomize, path, "commonAnnotations"),
            Namespace = NullIfEmpty(r.String(kustomize, path, "namespace")),
            Replicas = replicas,
        };
    }

    private static HelmOptions? ParseHelm(DocumentReader r, JsonObject source, string sourcePath)
    {
        var path = $"{sourcePath}.helm";
        var helm = r.Object(source, sourcePath, "helm");
        if (helm is null)
        {
            return null;
        }

        r.Known(
            helm,
            path,
            "valueFiles", "values", "valuesObject", "parameters", "releaseName", "fileParameters", "passCredentials",
            "ignoreMissingValueFiles", "skipCrds", "skipSchemaValidation", "version", "kubeVersion", "apiVersions", "namespace", "skipTests");
        foreach (var unsupported in new[] { "fileParameters", "passCredentials", "ignoreMissingValueFiles", "skipCrds", "skipSchemaValidation", "version", "kubeVersion", "apiVersions", "namespace", "skipTests" })
        {
            r.Unsupported(helm, path, unsupported, "not supported by Ferry's helm options; kept but not used");
        }

        string? values = helm["values"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonObject o => YamlWriter.Write(o),
            var other => Invalid(r, $"{path}.values", $"must be a YAML string or a mapping, got {DocumentReader.Describe(other)}"),
        };
        if (r.Object(helm, path, "valuesObject") is { } valuesObject)
        {
            // Argo gives valuesObject precedence over values.
            values = YamlWriter.Write(valuesObject);
        }

        var parameters = new List<HelmParameter>();
        if (r.Array(helm, path, "parameters") is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var itemPath = $"{path}.parameters[{i}]";
                if (list[i] is not JsonObject item)
                {
                    r.Error(itemPath, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                    continue;
                }

                r.Known(item, itemPath, "name", "value", "forceString");
                var name = r.String(item, itemPath, "name", required: true);
                var value = r.String(item, itemPath, "value") ?? string.Empty;
                if (name is not null)
                {
                    parameters.Add(new HelmParameter(name, value, r.Bool(item, itemPath, "forceString")));
                }
            }
        }

        return new HelmOptions
        {
            ReleaseName = NullIfEmpty(r.String(helm, path, "releaseName")),
            ValueFiles = r.Strings(helm, path, "valueFiles"),
            Values = values,
            Parameters = parameters,
        };
    }

    private static ApplicationDestination? ParseDestination(DocumentReader r, JsonObject spec)
    {
        const string path = "spec.destination";
        var destination = r.Object(spec, "spec", "destination", required: true);
        if (destination is null)
        {
            return null;
        }

        r.Known(destination, path, "server", "name", "namespace");
        var server = NullIfEmpty(r.String(destination, path, "server"));
        var name = NullIfEmpty(r.String(destination, path, "name"));
        if (server is null && name is null)
        {
            r.Error(path, "server or name is required");
        }
        else if (server is not null && name is not null)
        {
            r.Error(path, "set server or name, not both");
        }

        return new ApplicationDestination { Server = server, Name = name, Namespace = NullIfEmpty(r.String(destination, path, "namespace")) };
    }

    private static SyncPolicy? ParseSyncPolicy(DocumentReader r, JsonObject spec)
    {
        const string path = "spec.syncPolicy";
        var policy = r.Object(spec, "spec", "syncPolicy");
        if (policy is null)
        {
            return null;
        }

        r.Known(policy, path, "automated", "syncOptions", "retry", "managedNamespaceMetadata");
        AutomatedSyncPolicy? automated = null;
        if (r.Object(policy, path, "automated") is { } auto)
        {
            r.Known(auto, $"{path}.automated", "prune", "selfHeal", "allowEmpty", "enabled");
            var enabled = auto["enabled"] is null || r.Bool(auto, $"{path}.automated", "enabled");
            automated = enabled
                ? new AutomatedSyncPolicy
                {
                    Prune = r.Bool(auto, $"{path}.automated", "prune"),
                    SelfHeal = r.Bool(auto, $"{path}.automated", "selfHeal"),
                    AllowEmpty = r.Bool(auto, $"{path}.automated", "allowEmpty"),
                }
                : null;
        }

        RetryStrategy? retry = null;
        if (r.Object(policy, path, "retry") is { } retryNode)
        {
            var retryPath = $"{path}.retry";
            r.Known(retryNode, retryPath, "limit", "backoff", "refresh");
            var backoff = new RetryBackoff();
            if (r.Object(retryNode, retryPath, "backoff") is { } backoffNode)
            {
                var backoffPath = $"{retryPath}.backoff";
                r.Known(backoffNode, backoffPath, "duration", "factor", "maxDuration");
                backoff = new RetryBackoff
                {
                    Duration = r.Duration(backoffNode, backoffPath, "duration") ?? backoff.Duration,
                    Factor = r.Number(backoffNode, backoffPath, "factor") ?? backoff.Factor,
                    MaxDuration = r.Duration(backoffNode, backoffPath, "maxDuration") ?? backoff.MaxDuration,
                };
            }

            var limit = r.Integer(retryNode, retryPath, "limit");
            retry = new RetryStrategy { Limit = limit is { } l ? (int)Math.Clamp(l, -1, int.MaxValue) : 5, Backoff = backoff };
        }

        return new SyncPolicy { Automated = automated, SyncOptions = r.Strings(policy, path, "syncOptions"), Retry = retry };
    }

    private static IReadOnlyList<ResourceIgnoreDifferences> ParseIgnoreDifferences(DocumentReader r, JsonObject spec)
    {
        var list = r.Array(spec, "spec", "ignoreDifferences");
        if (list is null)
        {
            return [];
        }

        var result = new List<ResourceIgnoreDifferences>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"spec.ignoreDifferences[{i}]";
            if (list[i] is not JsonObject item)
            {
                r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                continue;
            }

            r.Known(item, path, "group", "kind", "name", "namespace", "jsonPointers", "jqPathExpressions", "managedFieldsManagers");
            var kind = r.String(item, path, "kind", required: true);
            if (kind is null)
            {
                continue;
            }

            result.Add(new ResourceIgnoreDifferences
            {
                Group = r.String(item, path, "group") ?? string.Empty,
                Kind = kind,
                Name = NullIfEmpty(r.String(item, path, "name")),
                Namespace = NullIfEmpty(r.String(item, path, "namespace")),
                JsonPointers = r.Strings(item, path, "jsonPointers"),
                JqPathExpressions = r.Strings(item, path, "jqPathExpressions"),
                ManagedFieldsManagers = r.Strings(item, path, "managedFieldsManagers"),
            });
        }

        return result;
    }

    private static List<GroupKind>? GroupKinds(DocumentReader r, JsonObject spec, string key)
    {
        var list = r.Array(spec, "spec", key);
        if (list is null)
        {
            return null;
        }

        var result = new List<GroupKind>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"spec.{key}[{i}]";
            if (list[i] is not JsonObject item)
            {
                r.Error(path, $"must be a mapping, got {DocumentReader.Describe(list[i])}");
                continue;
            }

            r.Known(item, path, "group", "kind");
            var kind = r.String(item, path, "kind", required: true);
            if (kind is not null)
            {
                result.Add(new GroupKind(r.String(item, path, "group") ?? string.Empty, kind));
            }
        }

        return result;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Invalid(DocumentReader r, string path, string reason)
    {
        r.Error(path, reason);
        return null;
    }
}
