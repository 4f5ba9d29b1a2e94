using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Apps;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Kustomize;

/// <summary>One `kustomize build`: loads kustomizations under a root, accumulates, generates, transforms, then fixes names and order.</summary>
internal sealed partial class KustomizeBuild
{
    private static readonly string[] KustomizationFileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private readonly string root;
    private readonly Dictionary<(string, YamlDuplicateKeys, YamlScalars?), IReadOnlyList<YamlDocument>> parsed = [];
    private PatchSchema schema = PatchSchema.Default;
    private bool schemaChosen;

    public KustomizeBuild(string root)
    {
        this.root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>A loaded kustomization: its directory, file and content.</summary>
    private sealed record Kustomization(string Directory, string File, JsonObject Content);

    public List<KResource> Build(string directory, KustomizeOptions? overrides)
    {
        try
        {
            return BuildUnlocated(directory, overrides);
        }
        catch (RenderException ex) when (ex.Line is null && FieldLine(ex) is { } line)
        {
            throw new RenderException(ex.Path, line, ex.Reason, ex.InnerException);
        }
    }

    /// <summary>For an error about a kustomization file without a line: the line of the top-level field it concerns.</summary>
    private int? FieldLine(RenderException ex)
    {
        var file = Path.Combine(root, ex.Path);
        if (!KustomizationFileNames.Contains(Path.GetFileName(file)) || !File.Exists(file))
        {
            return null;
        }

        var colon = ex.Reason.IndexOf(':');
        string[] fields = colon > 0 && KustomizationFields.Contains(ex.Reason[..colon]) ? [ex.Reason[..colon]]
            : ex.Reason.StartsWith("var ", StringComparison.Ordinal) ? ["vars"]
            : ex.Reason.Contains("strategic merge patch", StringComparison.Ordinal) ? ["patches", "patchesStrategicMerge"]
            : ex.Reason.Contains("already registered id", StringComparison.Ordinal) ? ["resources"]
            : ex.Reason.Contains("merge or replace", StringComparison.Ordinal) ? ["configMapGenerator", "secretGenerator"]
            : [];
        var lines = File.ReadAllLines(file);
        foreach (var field in fields)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith(field, StringComparison.Ordinal) && lines[i].AsSpan(field.Length).TrimStart().StartsWith(":"))
                {
                    return i + 1;
                }
            }
        }

        return null;
    }

    private List<KResource> BuildUnlocated(string directory, KustomizeOptions? overrides)
    {
        var full = Path.GetFullPath(directory);
        CheckInside(full, Relative(full), "path");
        var top = LoadKustomization(full, "path");
        topDirectory = full;
        var metadata = Strings(top.Content["buildMetadata"]).ToList();
        originAnnotations = metadata.Contains("originAnnotations");
        transformerAnnotations = metadata.Contains("transformerAnnotations");
        if (overrides is not null)
        {
            ApplyOverrides(top.Content, overrides);
        }

        var ra = Accumulate(top, null);
        foreach (var r in ra.Resources.Where(r => r.NeedsHash).ToList())
        {
            r.StorePreviousId();
            r.Name = r.Name + "-" + ContentHash.Of(r.Obj);
        }

        NameReferences.Fix(ra.Resources, ra.Config);
        Vars.Resolve(ra, Rel(top.File));
        var result = ra.Resources.Where(r => !IsLocalConfig(r)).ToList();
        RemoveUnrequestedOrigins(result);
        foreach (var r in result)
        {
            // kustomize rewrites annotations as a string map when it drops its internal ones.
            if (r.Annotations is { } annotations)
            {
                foreach (var (key, value) in annotations.ToArray())
                {
                    if (value is JsonValue v && !v.TryGetValue<string>(out _))
                    {
                        annotations[key] = Transformers.ScalarText(v);
                    }
                }
            }
        }

        result = Sort(result, top);
        if ((top.Content["buildMetadata"] as JsonArray)?.Any(b => (string?)b == "managedByLabel") == true)
        {
            foreach (var r in result)
            {
                if (r.Metadata()["labels"] is not JsonObject labels)
                {
                    labels = [];
                    r.Metadata()["labels"] = labels;
                }

                labels["app.kubernetes.io/managed-by"] = "kustomize-v5.5.0";
            }
        }

        return result;
    }

    private static bool IsLocalConfig(KResource r) =>
        r.Annotations?["config.kubernetes.io/local-config"] is JsonValue v && Transformers.ScalarText(v) == "true";

    private static List<KResource> Sort(List<KResource> resources, Kustomization top)
    {
        var options = top.Content["sortOptions"] as JsonObject;
        var order = (string?)options?["order"] ?? "legacy";
        if (order == "fifo")
        {
            return resources;
        }

        if (order != "legacy")
        {
            throw new RenderException(top.File, null, "the field 'sortOptions.order' must be one of [fifo, legacy]");
        }

        var legacy = options?["legacySortOptions"] as JsonObject;
        var first = (legacy?["orderFirst"] as JsonArray)?.Select(x => (string?)x ?? string.Empty).ToList() ?? LegacyOrderFirst;
        var last = (legacy?["orderLast"] as JsonArray)?.Select(x => (string?)x ?? string.Empty).ToList() ?? LegacyOrderLast;
        var rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < first.Count; i++)
        {
            rank[first[i]] = -first.Count + i;
        }

        for (var i = 0; i < last.Count; i++)
        {
            rank[last[i]] = 1 + i;
        }

        // Keys are computed once per object, not per comparison.
        var keys = resources.Select((r, i) =>
        {
            var gvk = r.Gvk;
            return (Gvk: gvk, Rank: rank.GetValueOrDefault(gvk.Kind), Sort: gvk.SortString(), Id: LegacyIdString(r), Index: i, Resource: r);
        }).ToList();
        keys.Sort((a, b) =>
        {
            if (a.Gvk != b.Gvk)
            {
                if (a.Rank != b.Rank)
                {
                    return a.Rank.CompareTo(b.Rank);
                }

                var c = string.CompareOrdinal(a.Sort, b.Sort);
                if (a.Gvk.Kind == "Namespace" && b.Gvk.Kind == "Namespace" && (a.Gvk.Group.Length == 0 || b.Gvk.Group.Length == 0))
                {
                    c = -c;
                }

                return c;
            }

            var byId = string.CompareOrdinal(a.Id, b.Id);
            return byId != 0 ? byId : a.Index.CompareTo(b.Index);
        });
        return [.. keys.Select(k => k.Resource)];
    }

    private static string LegacyIdString(KResource r)
    {
        var ns = r.Namespace.Length == 0 ? "~X" : r.Namespace;
        var name = r.Name.Length == 0 ? "~N" : r.Name;
        return $"{r.Gvk}|{ns}|{name}";
    }

    private static readonly List<string> LegacyOrderFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy",
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
        "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet",
        "CronJob", "PodDisruptionBudget",
    ];

    private static readonly List<string> LegacyOrderLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    // ----- loading -----

    public string Rel(string full) => Relative(full);

    private string Relative(string full)
    {
        var rel = Path.GetRelativePath(root, full).Replace('\\', '/');
        return rel;
    }

    private void CheckInside(string full, string referencedFrom, string field)
    {
        if (full != root && !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new RenderException(referencedFrom, null, $"{field}: '{full}' is outside the repository root; references may not escape it");
        }
    }

    private static bool IsRemote(string path) =>
        path.Contains("://", StringComparison.Ordinal) || path.StartsWith("git@", StringComparison.Ordinal)
        || path.StartsWith("github.com/", StringComparison.Ordinal) || path.StartsWith("gitlab.com/", StringComparison.Ordinal)
        || path.StartsWith("bitbucket.org/", StringComparison.Ordinal);

    private string ResolvePath(Kustomization k, string path, string field)
    {
        if (IsRemote(path))
        {
            throw new RenderException(Rel(k.File), null, $"{field}: remote reference '{path}' is not supported (only paths inside the repository)");
        }

        var full = Path.GetFullPath(Path.Combine(k.Directory, path));
        CheckInside(full, Rel(k.File), field);
        return full;
    }

    private Kustomization LoadKustomization(string directory, string field)
    {
        var found = KustomizationFileNames.Select(n => Path.Combine(directory, n)).Where(File.Exists).ToList();
        if (found.Count == 0)
        {
            throw new RenderException(Rel(directory), null, $"{field}: no kustomization.yaml, kustomization.yml or Kustomization in directory");
        }

        if (found.Count > 1)
        {
            throw new RenderException(Rel(directory), null, "found multiple kustomization files");
        }

        var docs = ReadYaml(found[0], YamlDuplicateKeys.LastWins);
        if (docs.Count > 1)
        {
            throw new RenderException(Rel(found[0]), docs[1].Line, "a kustomization must be a single document");
        }

        var content = docs.Count == 0 ? [] : docs[0].Root as JsonObject
            ?? throw new RenderException(Rel(found[0]), docs[0].Line, "a kustomization must be a mapping");
        if (KustomizationSchema.FirstUnknown(content) is { } unknown)
        {
            // kubectl says `invalid Kustomization: json: unknown field "resourcs"`; Ferry adds where it is.
            var line = YamlLineIndex.Build(File.ReadAllText(found[0])).FirstOrDefault()?.GetValueOrDefault(unknown.Path);
            var where = unknown.Path == unknown.Field ? string.Empty : $" (at {unknown.Path})";
            throw new RenderException(Rel(found[0]), line is > 0 ? line : null, $"unknown field \"{unknown.Field}\"{where}");
        }

        content = Canonical((JsonObject)content.DeepClone(), KustomizationFields);
        var kind = (string?)content["kind"];
        if (kind is not (null or "" or "Kustomization" or "Component"))
        {
            throw new RenderException(Rel(found[0]), null, $"kind '{kind}' is not Kustomization or Component");
        }

        foreach (var unsupported in new[] { "helmCharts", "helmChartInflationGenerator", "helmGlobals" })
        {
            if (content[unsupported] is JsonArray { Count: > 0 } or JsonObject { Count: > 0 })
            {
                throw new RenderException(Rel(found[0]), null, $"{unsupported}: Helm charts inside kustomizations are not supported by Ferry's native kustomize");
            }
        }

        var result = new Kustomization(directory, found[0], content);
        SetSchema(result);
        return result;
    }

    /// <summary>The first kustomization (top-level first, then in accumulation order) with an `openapi` field chooses the schema for the whole build, as kustomize's global schema does.</summary>
    private void SetSchema(Kustomization k)
    {
        if (schemaChosen || k.Content["openapi"] is not JsonObject openApiField)
        {
            return;
        }

        var path = (string?)openApiField["path"];
        var version = (string?)openApiField["version"];
        if (!string.IsNullOrEmpty(path))
        {
            if (!string.IsNullOrEmpty(version))
            {
                throw new RenderException(Rel(k.File), null, "openapi: builtin version and custom schema provided, cannot use both");
            }

            var openApiFile = ResolvePath(k, path, "openapi");
            if (ReadYaml(openApiFile).FirstOrDefault()?.Root is JsonObject openApi)
            {
                schema = PatchSchema.Default.With(PatchSchema.Parse(PatchSchemaGenerator.Generate(openApi, PatchSchema.Default.HasType)));
            }

            schemaChosen = true;
        }
        else if (!string.IsNullOrEmpty(version))
        {
            if (version != "v1.21.2")
            {
                throw new RenderException(Rel(k.File), null, $"openapi: the specified OpenAPI version '{version}' is not built in (only v1.21.2)");
            }

            schemaChosen = true;
        }
    }

    private static readonly string[] KustomizationFields =
    [
        "apiVersion", "kind", "metadata", "resources", "bases", "components", "crds", "namespace", "namePrefix", "nameSuffix",
        "commonLabels", "labels", "commonAnnotations", "images", "imageTags", "replicas", "patches", "patchesStrategicMerge",
        "patchesJson6902", "configMapGenerator", "secretGenerator", "generatorOptions", "replacements", "vars", "sortOptions",
        "buildMetadata", "transformers", "generators", "validators", "configurations", "openapi", "helmCharts",
        "helmChartInflationGenerator", "helmGlobals",
    ];

    private static readonly string[] PluginFields =
    [
        "apiVersion", "kind", "metadata", "path", "patch", "target", "options", "paths", "patches", "jsonOp", "prefix", "suffix",
        "fieldSpecs", "labels", "annotations", "imageTag", "replica", "replacements", "value", "targets", "unsetOnly",
        "setRoleBindingSubjects", "behavior", "literals", "files", "envs", "env", "name", "namespace", "type", "sortOptions",
    ];

    /// <summary>Renames keys that match a known field ignoring case, as Go's decoder accepts them.</summary>
    private static JsonObject Canonical(JsonObject content, string[] fields)
    {
        foreach (var (key, value) in content.ToArray())
        {
            if (fields.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            var canonical = fields.FirstOrDefault(f => string.Equals(f, key, StringComparison.OrdinalIgnoreCase));
            if (canonical is not null && !content.ContainsKey(canonical))
            {
                content.Remove(key);
                content[canonical] = value;
            }
        }

        return content;
    }

    private IReadOnlyList<YamlDocument> ReadYaml(string full, YamlDuplicateKeys duplicateKeys = YamlDuplicateKeys.Reject, YamlScalars? scalars = null)
    {
        if (!parsed.TryGetValue((full, duplicateKeys, scalars), out var docs))
        {
            docs = ParseYaml(full, duplicateKeys, scalars);
            parsed[(full, duplicateKeys, scalars)] = docs;
        }

        return docs;
    }

    private IReadOnlyList<YamlDocument> ParseYaml(string full, YamlDuplicateKeys duplicateKeys, YamlScalars? scalars = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (IOException ex)
        {
            throw new RenderException(Rel(full), null, ex.Message, ex);
        }

        try
        {
            // A kustomization is read as sigs.k8s.io/yaml reads it; resources and patches as kyaml (yaml.v3) does.
            scalars ??= KustomizationFileNames.Contains(Path.GetFileName(full)) ? YamlScalars.Kubernetes : YamlScalars.Kustomize;
            return YamlReader.ReadAll(text, Rel(full), duplicateKeys, scalars.Value);
        }
        catch (YamlFormatException ex)
        {
            throw new RenderException(Rel(full), ex.Line, ex.Reason, ex);
        }
    }

    private byte[] ReadBytes(Kustomization k, string path, string field)
    {
        var full = ResolvePath(k, path, field);
        if (!File.Exists(full))
        {
            throw new RenderException(Rel(k.File), null, $"{field}: file '{path}' does not exist");
        }

        return File.ReadAllBytes(full);
    }

    /// <summary>Objects of a YAML file, with v1 List items expanded.</summary>
    private List<KResource> LoadResources(string full)
    {
        var result = new List<KResource>();
        // Resources are parsed for their caller alone (no copy needed); cached documents (read for another purpose) are copied.
        var cached = parsed.ContainsKey((full, YamlDuplicateKeys.Reject, null));
        foreach (var doc in cached ? ReadYaml(full) : ParseYaml(full, YamlDuplicateKeys.Reject))
        {
            if (doc.Root is not JsonObject obj)
            {
                throw new RenderException(Rel(full), doc.Line, "a resource must be a mapping");
            }

            AddObject(result, cached ? (JsonObject)obj.DeepClone() : obj, Rel(full), doc.Line);
        }

        return result;
    }

    private static void AddObject(List<KResource> into, JsonObject obj, string file, int line)
    {
        var kind = (string?)obj["kind"];
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                AddObject(into, (JsonObject)item.DeepClone(), file, line);
            }

            return;
        }

        if (kind is null)
        {
            throw new RenderException(file, line, "missing kind in resource");
        }

        into.Add(new KResource(obj, file, line));
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(x => Transformers.ScalarText(x)) : [];

    // ----- accumulation -----

    private ResourceAccumulator Accumulate(Kustomization k, ResourceAccumulator? shared)
    {
        var ra = shared ?? new ResourceAccumulator();
        var file = Rel(k.File);
        var index = ra.KeyIndex();
        foreach (var path in Strings(k.Content["resources"]).Concat(Strings(k.Content["bases"])))
        {
            AccumulateResource(ra, k, path, "resources", index);
        }

        // kustomize merges its defaults plus the `configurations:` files at every level, then the `crds:` ones.
        var config = TransformerConfig.Default();
        if (k.Content["configurations"] is JsonArray { Count: > 0 })
        {
            var custom = TransformerConfig.Empty();
            foreach (var path in Strings(k.Content["configurations"]))
            {
                var full = ResolvePath(k, path, "configurations");
                foreach (var doc in ReadYaml(full))
                {
                    if (doc.Root is JsonObject configDocument)
                    {
                        custom.Merge(TransformerConfig.Parse(configDocument, Rel(full)), Rel(full));
                    }
                }
            }

            config.Merge(custom, file);
        }

        ra.Config.Merge(config, file);
        if (k.Content["crds"] is JsonArray { Count: > 0 })
        {
            var crds = TransformerConfig.Empty();
            foreach (var path in Strings(k.Content["crds"]))
            {
                var full = ResolvePath(k, path, "crds");
                foreach (var doc in ReadYaml(full))
                {
                    if (doc.Root is JsonObject crd)
                    {
                        var one = TransformerConfig.Empty();
                        CrdConfig.Merge(one, crd);
                        crds.Merge(one, Rel(full));
                    }
                }
            }

            ra.Config.Merge(crds, file);
        }

        RunGenerators(ra, k);
        foreach (var path in Strings(k.Content["components"]))
        {
            var full = ResolvePath(k, path, "components");
            var component = LoadKustomization(full, "components");
            if ((string?)component.Content["kind"] != "Component")
            {
                throw new RenderException(Rel(component.File), null, $"expected kind 'Component' for path '{path}'");
            }

            Accumulate(component, ra);
        }

        RunTransformers(ra, k);
        ra.MergeVars((k.Content["vars"] as JsonArray ?? []).OfType<JsonObject>(), file);
        return ra;
    }

    private void AccumulateResource(ResourceAccumulator ra, Kustomization k, string path, string field, HashSet<string> index)
    {
        var full = ResolvePath(k, path, field);
        if (File.Exists(full))
        {
            var loaded = LoadResources(full);
            MarkLoaded(loaded, full);
            ra.AppendAll(loaded, Rel(k.File), index);

            return;
        }

        if (!System.IO.Directory.Exists(full))
        {
            throw new RenderException(Rel(k.File), null, $"{field}: '{path}' does not exist");
        }

        var sub = LoadKustomization(full, field);
        if ((string?)sub.Content["kind"] == "Component")
        {
            throw new RenderException(Rel(sub.File), null, $"expected kind != 'Component' for path '{path}'");
        }

        ra.MergeAccumulator(Accumulate(sub, null), Rel(k.File), index);
    }

    /// <summary>Plugin configuration objects from a `generators:`/`transformers:` list: inline YAML, files or kustomization directories.</summary>
    private List<KResource> PluginConfigs(Kustomization k, string field)
    {
        var result = new List<KResource>();
        foreach (var entry in Strings(k.Content[field]))
        {
            if (entry.Contains('\n') || entry.TrimStart().StartsWith("apiVersion", StringComparison.Ordinal) || entry.TrimStart().StartsWith("kind", StringComparison.Ordinal))
            {
                try
                {
                    foreach (var doc in YamlReader.ReadAll(entry, Rel(k.File), YamlDuplicateKeys.FirstWins))
                    {
                        if (doc.Root is JsonObject obj)
                        {
                            result.Add(new KResource(Canonical(obj, PluginFields), Rel(k.File), doc.Line));
                        }
                    }
                }
                catch (YamlFormatException ex)
                {
                    throw new RenderException(Rel(k.File), ex.Line, $"{field}: {ex.Reason}", ex);
                }

                continue;
            }

            var full = ResolvePath(k, entry, field);
            if (File.Exists(full))
            {
                foreach (var r in LoadResources(full))
                {
                    r.ConfigFile = full;
                    result.Add(r);
                }
            }
            else if (System.IO.Directory.Exists(full))
            {
                result.AddRange(Accumulate(LoadKustomization(full, field), null).Resources);
            }
            else
            {
                throw new RenderException(Rel(k.File), null, $"{field}: '{entry}' does not exist");
            }
        }

        foreach (var r in result)
        {
            r.Obj = Canonical(r.Obj, PluginFields);
        }

        return result;
    }

    private void RunGenerators(ResourceAccumulator ra, Kustomization k)
    {
        var file = Rel(k.File);
        var options = k.Content["generatorOptions"] as JsonObject;
        foreach (var (field, kind) in new[] { ("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret") })
        {
            foreach (var entry in (k.Content[field] as JsonArray ?? []).OfType<JsonObject>())
            {
                var generated = Generators.Generate(kind, entry, options, p => ReadBytes(k, p, field), file);
                MarkGenerated(generated, k.File, kind + "Generator", null);
                ra.Absorb(generated, file);
            }
        }

        foreach (var config in PluginConfigs(k, "generators"))
        {
            var kind = (string?)config.Obj["kind"];
            if (kind == "IAMPolicyGenerator" && IsBuiltin(config.Obj))
            {
                var account = IamServiceAccount(config.Obj, file);
                MarkGenerated(account, config.ConfigFile ?? k.File, kind, config.Obj);
                ra.Absorb(account, file);
                continue;
            }

            if (kind is not ("ConfigMapGenerator" or "SecretGenerator") || !IsBuiltin(config.Obj))
            {
                throw new RenderException(file, null, $"generators: plugin {config.Obj["apiVersion"]}/{kind} is not supported (only kustomize's builtin generators; exec and Go plugins are not run)");
            }

            var generated = Generators.Generate(kind[..^"Generator".Length], config.Obj, config.Obj["options"] as JsonObject is null ? options : null, p => ReadBytes(k, p, "generators"), file);
            MarkGenerated(generated, config.ConfigFile ?? k.File, kind, config.Obj);
            ra.Absorb(generated, file);
        }
    }

    /// <summary>kustomize's builtin IAMPolicyGenerator (GKE workload identity): a ServiceAccount bound to a Google service account.</summary>
    private static KResource IamServiceAccount(JsonObject config, string file)
    {
        if ((string?)config["cloud"] != "gke")
        {
            throw new RenderException(file, null, $"generators: IAMPolicyGenerator cloud '{config["cloud"]}' is not supported (only gke)");
        }

        var service = config["kubernetesService"] as JsonObject ?? [];
        var account = config["serviceAccount"] as JsonObject ?? [];
        var metadata = new JsonObject
        {
            ["name"] = (string?)service["name"] ?? string.Empty,
            ["annotations"] = new JsonObject
            {
                ["iam.gke.io/gcp-service-account"] = $"{account["name"]}@{account["projectId"]}.iam.gserviceaccount.com",
            },
        };
        if ((string?)service["namespace"] is { Length: > 0 } ns)
        {
            metadata["namespace"] = ns;
        }

        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = metadata };
        return new KResource(obj, file, 0);
    }

    private static bool IsBuiltin(JsonObject config)
    {
        var apiVersion = (string?)config["apiVersion"] ?? string.Empty;
        return apiVersion == "builtin" || apiVersion.StartsWith("builtin/", StringComparison.Ordinal) || apiVersion.Length == 0;
    }

    public static string DecodeText(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}

