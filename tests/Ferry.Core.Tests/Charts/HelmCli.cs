using Ferry.Core.Processes;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Charts;

/// <summary>The real helm the tests publish charts with (<c>helm package</c>, <c>helm repo index</c>, <c>helm push</c>); its homes are a temporary folder.</summary>
internal sealed class HelmCli : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly ProcessRunner _runner = new();

    /// <summary>Writes a chart <paramref name="name"/> at <paramref name="version"/> whose one ConfigMap carries the version, packages it into <paramref name="destination"/> and returns the archive's path.</summary>
    public async Task<string> PackageAsync(string name, string version, string destination, string greeting = "hello")
    {
        var source = System.IO.Path.Combine(_home.Path, "src", $"{name}-{version}", name);
        Directory.CreateDirectory(System.IO.Path.Combine(source, "templates"));
        await File.WriteAllTextAsync(System.IO.Path.Combine(source, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: {version}\n");
        await File.WriteAllTextAsync(System.IO.Path.Combine(source, "values.yaml"), $"greeting: {greeting}\n");
        await File.WriteAllTextAsync(System.IO.Path.Combine(source, "templates", "configmap.yaml"), """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-settings
            data:
              chartVersion: {{ .Chart.Version | quote }}
              greeting: {{ .Values.greeting | quote }}
            """);
        Directory.CreateDirectory(destination);
        await RunAsync("package", source, "--destination", destination);
        return System.IO.Path.Combine(destination, $"{name}-{version}.tgz");
    }

    /// <summary>Runs <c>helm</c> with <paramref name="arguments"/>; fails with helm's message when it fails.</summary>
    public async Task<string> RunAsync(params string[] arguments)
    {
        var result = await _runner.RunAsync(new ProcessRequest
        {
            FileName = InstalledHelm.Path,
            Arguments = arguments,
            Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["HELM_CACHE_HOME"] = System.IO.Path.Combine(_home.Path, "cache"),
                ["HELM_CONFIG_HOME"] = System.IO.Path.Combine(_home.Path, "config"),
                ["HELM_DATA_HOME"] = System.IO.Path.Combine(_home.Path, "data"),
            },
        }, CancellationToken.None);
        return result.StandardOutput;
    }

    public void Dispose() => _home.Dispose();
}
