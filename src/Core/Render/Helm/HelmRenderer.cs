using System.Text.RegularExpressions;
using Ferry.Core.Processes;
using Ferry.Core.Render.Directory;
using Ferry.Core.Resources;
using Ferry.Core.Yaml;

namespace Ferry.Core.Render.Helm;

/// <summary>
/// Renders a chart in the repository with <c>helm template</c>, the way Argo CD runs it: release name, namespace, CRDs included,
/// the cluster's capabilities, value files, inline values through a temporary file, and <c>--set</c> parameters. Helm hook
/// annotations are mapped onto Argo CD's. helm is the one shipped with Ferry (<c>tools/helm/helm</c> beside the application),
/// else <c>FERRY_HELM</c>, else the first on PATH; its cache, configuration and data folders are a temporary folder, never $HOME.
/// </summary>
public sealed partial class HelmRenderer(ProcessRunner runner, HelmRendererOptions options) : IRenderer
{
    /// <summary>A renderer finding helm the default way.</summary>
    public HelmRenderer(ProcessRunner runner)
        : this(runner, new HelmRendererOptions())
    {
    }

    /// <inheritdoc/>
    public string Tool => "Helm";

    /// <inheritdoc/>
    public async Task<RenderResult> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        var root = SourcePath.RealPath(Path.GetFullPath(request.RootDirectory));
        var chartPath = string.IsNullOrEmpty(request.Path) ? "." : request.Path;
        var chart = SourcePath.ResolveDirectory(root, chartPath);
        var helm = FindHelm(options)
            ?? throw new RenderException(
                chartPath,
                null,
                $"helm is not installed: not at {Path.Combine(options.BaseDirectory, HelmRendererOptions.BundledPath)}, {HelmRendererOptions.HelmVariable} is not set "
                + "and no helm is on PATH; it is needed to render this Helm chart (install it with .ci/install-helm before building Ferry)");

        var helmOptions = request.Helm ?? new HelmOptions();
        List<string> arguments = ["template", helmOptions.ReleaseName ?? request.AppName, chart];
        if (!string.IsNullOrEmpty(request.Namespace))
        {
            arguments.AddRange(["--namespace", request.Namespace]);
        }

        arguments.Add("--include-crds");
        if (request.Capabilities is not null)
        {
            var capabilities = await request.Capabilities(cancellationToken).ConfigureAwait(false);
            arguments.AddRange(["--kube-version", capabilities.KubeVersion]);
            foreach (var apiVersion in capabilities.ApiVersions)
            {
                arguments.AddRange(["--api-versions", apiVersion]);
            }
        }

        foreach (var valueFile in helmOptions.ValueFiles)
        {
            arguments.AddRange(["-f", valueFile.StartsWith('$') ? ResolveRefValueFile(request.RefRoots, valueFile) : ResolveValueFile(root, chart, chartPath, valueFile)]);
        }

        string? inlineValues = null;
        var home = System.IO.Directory.CreateTempSubdirectory("ferry-helm-home-").FullName;
        try
        {
            if (!string.IsNullOrWhiteSpace(helmOptions.Values))
            {
                inlineValues = Path.Combine(Path.GetTempPath(), $"ferry-helm-values-{Guid.NewGuid():N}.yaml");
                await File.WriteAllTextAsync(inlineValues, helmOptions.Values, cancellationToken).ConfigureAwait(false);
                arguments.AddRange(["-f", inlineValues]);
            }

            foreach (var parameter in helmOptions.Parameters)
            {
                arguments.AddRange([parameter.ForceString ? "--set-string" : "--set", $"{parameter.Name}={parameter.Value}"]);
            }

            var process = new ProcessRequest
            {
                FileName = helm,
                Arguments = arguments,
                WorkingDirectory = chart,
                Timeout = options.Timeout,
                // The Functions sandbox's $HOME is not helm's to write: its cache, configuration and data live for this render only.
                Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
                {
                    ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
                    ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
                    ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
                },
            };

            // Chart.yaml dependencies missing from charts/ are built on a copy: the checkout stays as Git has it.
            var rendered = await HelmDependencies.PrepareAsync(runner, process, request.Charts, root, chart, chartPath, home, cancellationToken).ConfigureAwait(false);
            arguments[2] = rendered;
            ProcessResult result;
            try
            {
                result = await runner.RunAsync(process with { Arguments = arguments, WorkingDirectory = rendered }, cancellationToken).ConfigureAwait(false);
            }
            catch (ProcessException ex)
            {
                var reason = ex.TimedOut ? $"helm template timed out after {options.Timeout}" : $"helm template failed ({ex.Reason})";
                throw new RenderException(chartPath, null, ex.StandardErrorTail.Length > 0 ? $"{reason}: {ex.StandardErrorTail}" : reason, ex);
            }

            return new RenderResult(Parse(result.StandardOutput, chartPath), Tool);
        }
        finally
        {
            if (inlineValues is not null)
            {
                File.Delete(inlineValues);
            }

            System.IO.Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>The helm to run: the explicit one, else the bundled one, else <c>FERRY_HELM</c>, else the first on PATH.</summary>
    internal static string? FindHelm(HelmRendererOptions options)
    {
        if (options.Executable is not null)
        {
            return File.Exists(options.Executable) ? options.Executable : null;
        }

        var bundled = Path.Combine(options.BaseDirectory, HelmRendererOptions.BundledPath);
        if (File.Exists(bundled))
        {
            return Executable(bundled);
        }

        if (!string.IsNullOrEmpty(options.HelmFromEnvironment))
        {
            return File.Exists(options.HelmFromEnvironment) ? options.HelmFromEnvironment : null;
        }

        return ProcessRunner.FindExecutable("helm", options.SearchPath ?? Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>
    /// The bundled helm as an executable file: a deployment that lost the file's execute bit (a zip extracted without modes, a
    /// read-only package mount) gets an executable copy in the temporary folder, made once per binary.
    /// </summary>
    private static string Executable(string bundled)
    {
        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(bundled) & UnixFileMode.UserExecute) != 0)
        {
            return bundled;
        }

        var info = new FileInfo(bundled);
        var copy = Path.Combine(Path.GetTempPath(), $"ferry-helm-{info.Length}-{info.LastWriteTimeUtc.Ticks}", "helm");
        if (!File.Exists(copy))
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            var temp = copy + $".{Guid.NewGuid():N}";
            File.Copy(bundled, temp);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.Move(temp, copy, overwrite: true);
        }

        return copy;
    }

    /// <summary>Splits <c>helm template</c> output into manifests; each one's source is the template its <c># Source:</c> comment names.</summary>
    internal static IReadOnlyList<Manifest> Parse(string output, string chartPath)
    {
        IReadOnlyList<YamlDocument> documents;
        try
        {
            documents = YamlReader.ReadAll(output, $"{chartPath} (helm template output)");
        }
        catch (YamlFormatException ex)
        {
            throw new RenderException(chartPath, null, $"helm template printed invalid YAML at output line {ex.Line}: {ex.Reason}", ex);
        }

        var sources = new List<(int Line, string Source)>();
        var lines = output.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = SourceComment().Match(lines[i]);
            if (match.Success)
            {
                sources.Add((i + 1, match.Groups[1].Value.Trim()));
            }
        }

        var manifests = new List<Manifest>();
        foreach (var document in documents)
        {
            if (document.Root is null)
            {
                continue;
            }

            var template = sources.LastOrDefault(s => s.Line < document.Line).Source;
            var display = template is null ? chartPath : ToRepositoryPath(chartPath, template);
            if (!DirectoryRenderer.IsObject(document.Root, out var obj))
            {
                throw new RenderException(display, null, "the template produced a document that is not a Kubernetes object (apiVersion and kind are required)");
            }

            var flattened = new List<Manifest>();
            DirectoryRenderer.AddFlattened(obj, display, 1, flattened);
            foreach (var manifest in flattened)
            {
                HelmHooks.Map(manifest.Object);
                manifests.Add(manifest);
            }
        }

        return manifests;
    }

    /// <summary><c>mychart/templates/x.yaml</c> becomes <c>&lt;chart path&gt;/templates/x.yaml</c> (subcharts keep their <c>charts/…</c> part).</summary>
    private static string ToRepositoryPath(string chartPath, string template)
    {
        var slash = template.IndexOf('/');
        var inChart = slash < 0 ? template : template[(slash + 1)..];
        return chartPath == "." ? inChart : $"{chartPath.TrimEnd('/')}/{inChart}";
    }

    /// <summary>A <c>$ref/path</c> value file (multi-source apps): the path inside the checkout of the source whose ref is <c>ref</c>.</summary>
    internal static string ResolveRefValueFile(IReadOnlyDictionary<string, string> refRoots, string valueFile)
    {
        var parts = valueFile[1..].Split('/', 2);
        if (!refRoots.TryGetValue(parts[0], out var refRoot))
        {
            throw new RenderException(valueFile, null, $"helm.valueFiles names ref '{parts[0]}', which no source of spec.sources declares");
        }

        var root = SourcePath.RealPath(Path.GetFullPath(refRoot));
        var full = Path.GetFullPath(Path.Combine(root, parts.Length > 1 ? parts[1].TrimStart('/') : string.Empty));
        if (!SourcePath.IsFileInside(root, full))
        {
            throw new RenderException(valueFile, null, $"the value file is outside the checkout of ref '{parts[0]}'");
        }

        if (!File.Exists(full))
        {
            throw new RenderException(valueFile, null, $"the value file does not exist in the checkout of ref '{parts[0]}'");
        }

        return full;
    }

    private static string ResolveValueFile(string root, string chart, string chartPath, string valueFile)
    {
        if (Uri.TryCreate(valueFile, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return valueFile;
        }

        // Argo resolves value files against the chart folder, and an absolute path against the repository root.
        var full = Path.GetFullPath(Path.IsPathRooted(valueFile) ? Path.Combine(root, valueFile.TrimStart('/')) : Path.Combine(chart, valueFile));
        var display = $"{chartPath}/{valueFile}";
        if (!File.Exists(full))
        {
            throw new RenderException(display, null, "the value file does not exist");
        }

        if (!SourcePath.IsFileInside(root, full))
        {
            throw new RenderException(display, null, "the value file is outside the repository root");
        }

        return full;
    }

    [GeneratedRegex(@"^#\s*Source:\s*(.+)$")]
    private static partial Regex SourceComment();
}
