using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Git;
using Ferry.Core.Render.Directory;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>
/// Runs an ApplicationSet's generators into parameter sets, shaped as Argo CD shapes them: flat <c>path.basename</c>-style keys for
/// the default template syntax, nested objects (<c>.path.basename</c>) for <c>goTemplate</c>.
/// </summary>
internal sealed partial class ApplicationSetGenerators(GitRepositoryCache git, IReadOnlyList<ClusterEntry> clusters, bool goTemplate)
{
    /// <summary>Every parameter set of one generator, in generation order.</summary>
    public async Task<List<JsonObject>> GenerateAsync(JsonObject generator, string path, CancellationToken cancellationToken)
    {
        var (kind, body) = generator.Where(p => p.Key is "list" or "clusters" or "git" or "matrix" or "merge").Select(p => (p.Key, (JsonObject)p.Value!)).Single();
        var at = $"{path}.{kind}";
        return kind switch
        {
            "list" => List(body),
            "clusters" => Clusters(body),
            "git" => await GitAsync(body, at, cancellationToken).ConfigureAwait(false),
            "matrix" => await MatrixAsync(body, at, cancellationToken).ConfigureAwait(false),
            _ => await MergeAsync(body, at, cancellationToken).ConfigureAwait(false),
        };
    }

    private List<JsonObject> List(JsonObject body) =>
        [.. ((JsonArray)body["elements"]!).OfType<JsonObject>().Select(element => goTemplate ? (JsonObject)element.DeepClone() : Flat(element))];

    private List<JsonObject> Clusters(JsonObject body)
    {
        var values = body["values"] as JsonObject;
        return [.. clusters.OrderBy(c => c.Name, StringComparer.Ordinal).Select(cluster =>
        {
            var set = new JsonObject
            {
                ["name"] = cluster.Name,
                ["nameNormalized"] = Normalize(cluster.Name),
                ["server"] = cluster.Server,
                ["project"] = string.Empty,
            };
            if (goTemplate)
            {
                set["metadata"] = new JsonObject { ["labels"] = new JsonObject(), ["annotations"] = new JsonObject() };
            }

            AddValues(set, values);
            return set;
        })];
    }

    private async Task<List<JsonObject>> GitAsync(JsonObject body, string at, CancellationToken cancellationToken)
    {
        var repo = ApplicationSetParser.Text(body, "repoURL")!;
        var revision = ApplicationSetParser.Text(body, "revision") is { Length: > 0 } r ? r : "HEAD";
        var prefix = ApplicationSetParser.Text(body, "pathParamPrefix") ?? string.Empty;
        var sha = await git.ResolveAsync(repo, revision, cancellationToken).ConfigureAwait(false);
        var tree = await git.CheckoutAsync(repo, sha, cancellationToken).ConfigureAwait(false);
        var values = body["values"] as JsonObject;
        var sets = new List<JsonObject>();
        if (body["directories"] is JsonArray directories)
        {
            var patterns = directories.OfType<JsonObject>().Select(d => (Glob: ApplicationSetParser.Text(d, "path")!, Exclude: d["exclude"]?.GetValueKind() == JsonValueKind.True)).ToList();
            foreach (var dir in Entries(tree, directories: true))
            {
                // Argo: a directory is generated when an include pattern matches it and no exclude pattern does.
                if (patterns.Any(p => !p.Exclude && Glob.Match(p.Glob, dir, '/')) && !patterns.Any(p => p.Exclude && Glob.Match(p.Glob, dir, '/')))
                {
                    var set = new JsonObject();
                    AddPath(set, prefix, dir, file: null);
                    AddValues(set, values);
                    sets.Add(set);
                }
            }
        }
        else
        {
            var patterns = ((JsonArray)body["files"]!).OfType<JsonObject>().Select(f => ApplicationSetParser.Text(f, "path")!).ToList();
            foreach (var file in Entries(tree, directories: false).Where(f => patterns.Any(p => Glob.Match(p, f, '/'))))
            {
                var text = await File.ReadAllTextAsync(Path.Combine(tree, file), cancellationToken).ConfigureAwait(false);
                foreach (var content in Contents(text, $"{repo}@{revision}:{file}", at))
                {
                    var set = goTemplate ? (JsonObject)content.DeepClone() : Flat(content);
                    AddPath(set, prefix, Parent(file), file);
                    AddValues(set, values);
                    sets.Add(set);
                }
            }
        }

        return sets;
    }

    private static IEnumerable<JsonObject> Contents(string text, string source, string at)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlReader.ReadAll(text, source);
        }
        catch (YamlFormatException ex)
        {
            throw new ApplicationSetException($"{at}.files: {source}:{ex.Line}: {ex.Reason}");
        }

        foreach (var document in documents)
        {
            switch (document.Root)
            {
                case JsonObject obj:
                    yield return obj;
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        yield return item as JsonObject ?? throw new ApplicationSetException($"{at}.files: {source}: list items must be mappings");
                    }

                    break;
                default:
                    throw new ApplicationSetException($"{at}.files: {source}: must hold a mapping or a list of mappings");
            }
        }
    }

    private async Task<List<JsonObject>> MatrixAsync(JsonObject body, string at, CancellationToken cancellationToken)
    {
        var children = (JsonArray)body["generators"]!;
        var left = await GenerateAsync((JsonObject)children[0]!, $"{at}.generators[0]", cancellationToken).ConfigureAwait(false);
        var right = await GenerateAsync((JsonObject)children[1]!, $"{at}.generators[1]", cancellationToken).ConfigureAwait(false);
        var sets = new List<JsonObject>(left.Count * right.Count);
        foreach (var a in left)
        {
            foreach (var b in right)
            {
                var set = (JsonObject)a.DeepClone();
                foreach (var (key, value) in b)
                {
                    // Argo refuses a matrix whose two sides both set a plain (non-object) parameter to different values.
                    var existing = set[key];
                    if (existing is not null && !(existing is JsonObject && value is JsonObject) && !JsonNode.DeepEquals(existing, value))
                    {
                        throw new ApplicationSetException($"{at}: both generators set the parameter '{key}' (to {existing.ToJsonString()} and {value?.ToJsonString()})");
                    }

                    set[key] = existing is JsonObject left2 && value is JsonObject right2 ? DeepMerge(left2, right2) : value?.DeepClone();
                }

                sets.Add(set);
            }
        }

        return sets;
    }

    private async Task<List<JsonObject>> MergeAsync(JsonObject body, string at, CancellationToken cancellationToken)
    {
        var keys = ((JsonArray)body["mergeKeys"]!).Select(k => k!.GetValue<string>()).ToList();
        var children = (JsonArray)body["generators"]!;
        var baseSets = await GenerateAsync((JsonObject)children[0]!, $"{at}.generators[0]", cancellationToken).ConfigureAwait(false);
        for (var i = 1; i < children.Count; i++)
        {
            var overrides = await GenerateAsync((JsonObject)children[i]!, $"{at}.generators[{i}]", cancellationToken).ConfigureAwait(false);
            var byKey = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var set in overrides)
            {
                // Argo: within one generator, merge-key values must be unique.
                if (!byKey.TryAdd(MergeKey(set, keys), set))
                {
                    throw new ApplicationSetException($"{at}.generators[{i}]: two parameter sets share the merge key {MergeKey(set, keys)}");
                }
            }

            baseSets = [.. baseSets.Select(set => byKey.TryGetValue(MergeKey(set, keys), out var over) ? DeepMerge(set, over) : set)];
        }

        return baseSets;
    }

    private string MergeKey(JsonObject set, List<string> keys) =>
        string.Join("\u0000", keys.Select(k => (goTemplate ? Walk(set, k) : set[k])?.ToJsonString() ?? "<missing>"));

    private static JsonNode? Walk(JsonObject set, string dotted)
    {
        JsonNode? node = set;
        foreach (var part in dotted.Split('.'))
        {
            node = node is JsonObject obj ? obj[part] : null;
        }

        return node;
    }

    private static JsonObject DeepMerge(JsonObject target, JsonObject source)
    {
        var result = (JsonObject)target.DeepClone();
        foreach (var (key, value) in source)
        {
            result[key] = result[key] is JsonObject a && value is JsonObject b ? DeepMerge(a, b) : value?.DeepClone();
        }

        return result;
    }

    private void AddPath(JsonObject set, string prefix, string directory, string? file)
    {
        var segments = directory.Length == 0 ? [] : directory.Split('/');
        var basename = segments.Length == 0 ? string.Empty : segments[^1];
        var root = prefix.Length == 0 ? "path" : $"{prefix}.path";
        if (goTemplate)
        {
            var path = new JsonObject
            {
                ["path"] = directory,
                ["basename"] = basename,
                ["basenameNormalized"] = Normalize(basename),
                ["segments"] = new JsonArray([.. segments.Select(s => (JsonNode)s)]),
            };
            if (file is not null)
            {
                path["filename"] = Path.GetFileName(file);
                path["filenameNormalized"] = Normalize(Path.GetFileName(file));
            }

            if (prefix.Length == 0)
            {
                set["path"] = path;
            }
            else
            {
                set[prefix] = new JsonObject { ["path"] = path };
            }

            return;
        }

        set[root] = directory;
        set[$"{root}.basename"] = basename;
        set[$"{root}.basenameNormalized"] = Normalize(basename);
        if (file is not null)
        {
            set[$"{root}.filename"] = Path.GetFileName(file);
            set[$"{root}.filenameNormalized"] = Normalize(Path.GetFileName(file));
        }

        for (var i = 0; i < segments.Length; i++)
        {
            set[$"{root}[{i}]"] = segments[i];
        }
    }

    private void AddValues(JsonObject set, JsonObject? values)
    {
        if (values is null)
        {
            return;
        }

        if (goTemplate)
        {
            set["values"] = values.DeepClone();
            return;
        }

        foreach (var (key, value) in values)
        {
            set[$"values.{key}"] = value?.DeepClone();
        }
    }

    /// <summary>Argo's flattening for the default template syntax: nested keys joined with dots, list items by index.</summary>
    private static JsonObject Flat(JsonObject obj)
    {
        var flat = new JsonObject();
        Flatten(obj, string.Empty, flat);
        return flat;

        static void Flatten(JsonNode? node, string prefix, JsonObject into)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", into);
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Flatten(a[i], $"{prefix}.{i}", into);
                    }

                    break;
                default:
                    into[prefix] = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? string.Empty;
                    break;
            }
        }
    }

    private static IEnumerable<string> Entries(string tree, bool directories)
    {
        var root = Path.GetFullPath(tree);
        var entries = directories
            ? Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories);
        return entries
            .Select(e => Path.GetRelativePath(root, e).Replace('\\', '/'))
            .Where(e => !e.Split('/').Any(part => part == ".git"))
            .Order(StringComparer.Ordinal);
    }

    private static string Parent(string file) => file.Contains('/', StringComparison.Ordinal) ? file[..file.LastIndexOf('/')] : string.Empty;

    /// <summary>Argo's name sanitising: lower case, anything but <c>a-z0-9.-</c> becomes <c>-</c>.</summary>
    public static string Normalize(string name) => Invalid().Replace(name.ToLowerInvariant(), "-");

    [GeneratedRegex("[^a-z0-9.-]", RegexOptions.CultureInvariant)]
    private static partial Regex Invalid();
}
