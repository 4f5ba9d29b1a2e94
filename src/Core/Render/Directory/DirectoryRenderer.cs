using System.Text.Json.Nodes;
using Ferry.Core.Resources;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Directory;

/// <summary>
/// Renders a plain folder of manifests as Argo CD's directory source does: <c>*.yaml</c>, <c>*.yml</c> and <c>*.json</c> files
/// (optionally recursive), include/exclude globs on the path relative to the source folder, <c>List</c> kinds flattened,
/// files in ordinal path order.
/// </summary>
public sealed class DirectoryRenderer : IRenderer
{
    /// <inheritdoc/>
    public string Tool => "Directory";

    /// <inheritdoc/>
    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var root = SourcePath.RealPath(Path.GetFullPath(request.RootDirectory));
        var appDirectory = SourcePath.ResolveDirectory(root, request.Path);
        var include = request.Directory.Include is { Length: > 0 } i ? Compile(i, request.Path, "include") : null;
        var exclude = request.Directory.Exclude is { Length: > 0 } e ? Compile(e, request.Path, "exclude") : null;

        var files = new List<(string Full, string FromApp)>();
        Collect(appDirectory, appDirectory, request.Directory.Recurse, files);
        files.Sort((a, b) => string.CompareOrdinal(a.FromApp, b.FromApp));

        var manifests = new List<Manifest>();
        foreach (var (full, fromApp) in files)
        {
            if (exclude is not null && exclude.IsMatch(fromApp))
            {
                continue;
            }

            if (include is not null && !include.IsMatch(fromApp))
            {
                continue;
            }

            var display = SourcePath.Relative(root, full);
            if (full.EndsWith(".jsonnet", StringComparison.Ordinal))
            {
                throw new RenderException(display, null, "jsonnet is not supported by Ferry; exclude the file or render it to YAML");
            }

            if (!SourcePath.IsFileInside(root, full))
            {
                throw new RenderException(display, null, "the file is a symbolic link leading outside the repository root");
            }

            var text = await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false);
            manifests.AddRange(full.EndsWith(".json", StringComparison.Ordinal) ? ReadJson(text, display) : ReadYaml(text, display));
        }

        return new RenderResult(manifests, Tool);
    }

    private static Glob Compile(string pattern, string path, string field)
    {
        try
        {
            return Glob.Compile(pattern);
        }
        catch (ArgumentException ex)
        {
            throw new RenderException(path, null, $"directory.{field}: {ex.Message}");
        }
    }

    /// <summary>Walks like Go's filepath.Walk: lexical, symbolic links to folders not followed; <c>.git</c> skipped.</summary>
    private static void Collect(string appDirectory, string folder, bool recurse, List<(string, string)> files)
    {
        var directory = new DirectoryInfo(folder);
        foreach (var file in directory.EnumerateFiles())
        {
            // Argo's manifest pattern is ^.*\.(yaml|yml|json|jsonnet)$, case-sensitive.
            if (file.Name.EndsWith(".yaml", StringComparison.Ordinal) || file.Name.EndsWith(".yml", StringComparison.Ordinal)
                || file.Name.EndsWith(".json", StringComparison.Ordinal) || file.Name.EndsWith(".jsonnet", StringComparison.Ordinal))
            {
                files.Add((file.FullName, SourcePath.Relative(appDirectory, file.FullName)));
            }
        }

        if (!recurse)
        {
            return;
        }

        foreach (var child in directory.EnumerateDirectories())
        {
            if (child.LinkTarget is null && child.Name != ".git")
            {
                Collect(appDirectory, child.FullName, recurse, files);
            }
        }
    }

    /// <summary>
    /// A YAML file follows Argo's splitYAML rules: a document without apiVersion and kind is an error if the file already
    /// yielded objects or "looks like" a resource (mentions apiVersion:, kind: and metadata:); otherwise the whole file is
    /// taken for unrelated YAML (a values file, CI config) and ignored. Syntax errors follow the same rule.
    /// </summary>
    private static IEnumerable<Manifest> ReadYaml(string text, string display)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlReader.ReadAll(text, display);
        }
        catch (YamlFormatException ex)
        {
            if (LooksLikeResource(text))
            {
                throw new RenderException(display, ex.Line, ex.Reason, ex);
            }

            return [];
        }

        var manifests = new List<Manifest>();
        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            if (!IsObject(document.Root, out var obj))
            {
                if (manifests.Count > 0 || LooksLikeResource(text))
                {
                    throw new RenderException(display, document.Line, "the document " + MissingKindReason(document.Root));
                }

                return [];
            }

            AddFlattened(obj, display, document.Line, manifests);
        }

        return manifests;
    }

    /// <summary>A JSON file holds exactly one object, as in Argo CD (which rejects several objects in one JSON file).</summary>
    private static IEnumerable<Manifest> ReadJson(string text, string display)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlReader.ReadAll(text, display);
        }
        catch (YamlFormatException ex)
        {
            throw new RenderException(display, ex.Line, ex.Reason, ex);
        }

        if (documents.Count == 0)
        {
            return [];
        }

        if (documents.Count > 1)
        {
            throw new RenderException(display, documents[1].Line, "found several objects; a JSON file may hold only one");
        }

        var document = documents[0];
        if (!IsObject(document.Root, out var obj))
        {
            throw new RenderException(display, document.Line, "the document " + MissingKindReason(document.Root));
        }

        var manifests = new List<Manifest>();
        AddFlattened(obj, display, document.Line, manifests);
        return manifests;
    }

    internal static void AddFlattened(JsonObject obj, string display, int line, List<Manifest> manifests)
    {
        var kind = (string)obj["kind"]!;
        if (kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (!IsObject(item, out var child))
                {
                    throw new RenderException(display, line, $"an item of the {kind} " + MissingKindReason(item));
                }

                AddFlattened((JsonObject)child.DeepClone(), display, line, manifests);
            }

            return;
        }

        manifests.Add(new Manifest(obj, display, line));
    }

    internal static bool IsObject(JsonNode? node, out JsonObject obj)
    {
        obj = node as JsonObject ?? [];
        return node is JsonObject o
            && o["apiVersion"] is JsonValue apiVersion && apiVersion.TryGetValue<string>(out var a) && a.Length > 0
            && o["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) && k.Length > 0;
    }

    private static string MissingKindReason(JsonNode? node) =>
        "is not a Kubernetes object: " + (node is JsonObject ? "apiVersion and kind are required" : "expected a mapping");

    private static bool LooksLikeResource(string text) =>
        text.Contains("apiVersion:", StringComparison.Ordinal) && text.Contains("kind:", StringComparison.Ordinal) && text.Contains("metadata:", StringComparison.Ordinal);
}
