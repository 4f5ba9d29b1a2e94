using System.Text.Json.Nodes;
using Ferry.Core.Charts;
using Ferry.Core.Processes;
using Ferry.Core.Render.Directory;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Helm;

/// <summary>
/// Chart.yaml <c>dependencies</c> that <c>charts/</c> does not hold yet, resolved on a temporary copy of the chart (and of the charts it
/// points at, in the repository's layout), so the Git cache is never written: <c>file://</c> folders of the repository are built by
/// <c>helm dependency build</c> (by <c>helm package</c> when the chart also has repository dependencies, which helm would only fetch
/// from repositories added to its own configuration), and charts from HTTP(S) repositories and OCI registries are pulled by Ferry's
/// chart cache with its credentials. Anything else is an error naming the chart and the dependency.
/// </summary>
internal static class HelmDependencies
{
    private const string FileScheme = "file://";

    /// <summary>The folder to render: the chart itself when nothing is missing, else its copy under <paramref name="workspace"/> with the dependencies in charts/.</summary>
    public static async Task<string> PrepareAsync(ProcessRunner runner, ProcessRequest helm, ChartCache? charts, string root, string chart, string chartPath, string workspace, CancellationToken cancellationToken)
    {
        var chartFile = $"{chartPath.TrimEnd('/')}/Chart.yaml";
        var (all, missing) = Read(chart, chartFile);
        if (missing.Count == 0)
        {
            return chart;
        }

        var folders = new List<string> { chart };
        var local = new List<(Dependency Dependency, string Folder)>();
        var remote = new List<(Dependency Dependency, ChartLocation Location)>();
        foreach (var dependency in missing)
        {
            var repository = dependency.Repository;
            if (repository.StartsWith(FileScheme, StringComparison.Ordinal))
            {
                var folder = Path.GetFullPath(Path.Combine(chart, repository[FileScheme.Length..]));
                if (!SourcePath.IsFileInside(root, folder))
                {
                    throw new RenderException(chartFile, null, $"dependency '{dependency.Name}' ({repository}) is outside the repository");
                }

                if (!File.Exists(Path.Combine(folder, "Chart.yaml")))
                {
                    throw new RenderException(chartFile, null, $"dependency '{dependency.Name}' ({repository}) is not a chart folder in the repository (no Chart.yaml)");
                }

                local.Add((dependency, SourcePath.RealPath(folder)));
                folders.Add(SourcePath.RealPath(folder));
            }
            else if (repository.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || repository.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                || repository.StartsWith("oci://", StringComparison.OrdinalIgnoreCase))
            {
                remote.Add((dependency, ChartLocation.From(repository, dependency.Name)!));
            }
            else
            {
                throw new RenderException(chartFile, null, repository.Length == 0
                    ? $"dependency '{dependency.Name}' has no repository and is not in charts/ (vendor it there)"
                    : $"dependency '{dependency.Name}' names the repository '{repository}', which only helm's own repository list knows: give its URL (https:// or oci://) instead");
            }
        }

        if (remote.Count > 0 && charts is null)
        {
            throw new RenderException(chartFile, null, $"dependency '{remote[0].Dependency.Name}' comes from {remote[0].Dependency.Repository}, and this render cannot pull charts: vendor it into charts/ (helm dependency update)");
        }

        // The copies keep their places relative to the repository root, so file://../x still finds x.
        var tree = System.IO.Directory.CreateDirectory(Path.Combine(workspace, "tree")).FullName;
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            Copy(root, folder, Path.Combine(tree, Path.GetRelativePath(root, folder)));
        }

        var copy = Path.Combine(tree, Path.GetRelativePath(root, chart));
        foreach (var (dependency, location) in remote)
        {
            var resolved = await charts!.ResolveAsync(location, dependency.Version, cancellationToken).ConfigureAwait(false);
            using var pulled = await charts.PullAsync(location, resolved, cancellationToken).ConfigureAwait(false);
            Copy(pulled.Path, pulled.Path, Path.Combine(copy, "charts", dependency.Name));
        }

        if (local.Count == 0)
        {
            return copy;
        }

        if (all.All(d => d.Repository.StartsWith(FileScheme, StringComparison.Ordinal)))
        {
            await HelmAsync(runner, helm, ["dependency", "build", copy, "--skip-refresh"], copy, chartFile, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            foreach (var (_, folder) in local)
            {
                var source = Path.Combine(tree, Path.GetRelativePath(root, folder));
                await HelmAsync(runner, helm, ["package", source, "--destination", Path.Combine(copy, "charts")], copy, chartFile, cancellationToken).ConfigureAwait(false);
            }
        }

        return copy;
    }

    private static async Task HelmAsync(ProcessRunner runner, ProcessRequest helm, List<string> arguments, string workingDirectory, string chartFile, CancellationToken cancellationToken)
    {
        try
        {
            await runner.RunAsync(helm with { Arguments = arguments, WorkingDirectory = workingDirectory }, cancellationToken).ConfigureAwait(false);
        }
        catch (ProcessException ex)
        {
            var command = $"helm {arguments[0]} {arguments[1]}";
            var reason = ex.TimedOut ? $"{command} timed out after {helm.Timeout}" : $"{command} failed ({ex.Reason})";
            throw new RenderException(chartFile, null, ex.StandardErrorTail.Length > 0 ? $"{reason}: {ex.StandardErrorTail}" : reason, ex);
        }
    }

    /// <summary>Chart.yaml's dependencies, and those no chart in <c>charts/</c> provides, in Chart.yaml's order.</summary>
    private static (List<Dependency> All, List<Dependency> Missing) Read(string chart, string chartFile)
    {
        var file = Path.Combine(chart, "Chart.yaml");
        if (!File.Exists(file))
        {
            return ([], []);
        }

        JsonNode? metadata;
        try
        {
            metadata = YamlReader.ReadOne(File.ReadAllText(file), chartFile);
        }
        catch (YamlFormatException)
        {
            // helm template reports a malformed Chart.yaml itself, with its own words.
            return ([], []);
        }

        if (metadata?["dependencies"] is not JsonArray dependencies)
        {
            return ([], []);
        }

        var all = new List<Dependency>();
        foreach (var item in dependencies.OfType<JsonObject>())
        {
            if (Text(item, "name") is { Length: > 0 } name)
            {
                all.Add(new Dependency(name, Text(item, "version") ?? string.Empty, Text(item, "repository") ?? string.Empty));
            }
        }

        return (all, [.. all.Where(d => !Vendored(chart, d.Name))]);
    }

    private static string? Text(JsonObject item, string key) =>
        item[key] is JsonValue value && value.GetValueKind() is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number ? value.ToString() : null;

    /// <summary>Whether charts/ holds the dependency: a folder whose Chart.yaml names it, or an archive <c>&lt;name&gt;-&lt;version&gt;.tgz</c>.</summary>
    private static bool Vendored(string chart, string name)
    {
        var charts = Path.Combine(chart, "charts");
        if (!System.IO.Directory.Exists(charts))
        {
            return false;
        }

        if (System.IO.Directory.EnumerateFiles(charts, name + "-*.tgz").Any(f => Path.GetFileName(f).Length > name.Length + 5 && char.IsAsciiDigit(Path.GetFileName(f)[name.Length + 1])))
        {
            return true;
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(charts))
        {
            var metadata = Path.Combine(folder, "Chart.yaml");
            if (File.Exists(metadata) && File.ReadLines(metadata).Any(l => l.Trim() is var t && (t == $"name: {name}" || t == $"name: \"{name}\"" || t == $"name: '{name}'")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies a folder (files behind symbolic links only when they stay inside <paramref name="root"/>), writable, so helm may add to it.</summary>
    private static void Copy(string root, string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var destination = Path.Combine(target, entry.Name);
            // A linked folder could loop back on itself; a linked file is copied only when it stays inside the repository.
            if (entry.LinkTarget is not null && (System.IO.Directory.Exists(entry.FullName) || !SourcePath.IsFileInside(root, entry.FullName)))
            {
                continue;
            }

            if (entry is DirectoryInfo)
            {
                Copy(root, entry.FullName, destination);
            }
            else
            {
                File.Copy(entry.FullName, destination, overwrite: true);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(destination, File.GetUnixFileMode(destination) | UnixFileMode.UserWrite);
                }
            }
        }
    }

    private sealed record Dependency(string Name, string Version, string Repository);
}
