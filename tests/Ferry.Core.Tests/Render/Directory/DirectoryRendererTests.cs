using System.Runtime.Versioning;
using Ferry.Core.Render;
using Ferry.Core.Render.Directory;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Render.Directory;

[UnsupportedOSPlatform("windows")]
public sealed class DirectoryRendererTests : IDisposable
{
    private readonly DirectoryRenderer renderer = new();
    private readonly string temp = System.IO.Directory.CreateTempSubdirectory("ferry-dir-").FullName;

    public void Dispose() => System.IO.Directory.Delete(temp, recursive: true);

    private static RenderRequest Request(string path, DirectoryOptions? options = null, string? root = null) => new()
    {
        RootDirectory = root ?? TestDataFolder.Path("repo"),
        Path = path,
        Directory = options ?? new DirectoryOptions(),
    };

    private static string[] Describe(RenderResult result) =>
        [.. result.Manifests.Select(m => $"{m.Source}:{m.Line} {m.Key}")];

    private string Write(string relative, string content)
    {
        var full = Path.Combine(temp, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    [Fact]
    public async Task RenderAsync_Folder_ReadsYamlAndJsonInOrderFlattensListsIgnoresOtherFiles()
    {
        var result = await renderer.RenderAsync(Request("app"), CancellationToken.None);

        Assert.Equal("Directory", result.Tool);
        Assert.Equal(
            [
                "app/a-deploy.yaml:2 Deployment.apps/guestbook-ui",
                "app/a-deploy.yaml:10 Service/guestbook-ui",
                "app/b-list.yaml:1 ConfigMap/one",
                "app/b-list.yaml:1 ConfigMap/two",
                "app/c.json:1 ServiceAccount/guestbook",
            ],
            Describe(result));
    }

    [Fact]
    public async Task RenderAsync_Recurse_IncludesSubfolders()
    {
        var result = await renderer.RenderAsync(Request("app", new DirectoryOptions { Recurse = true }), CancellationToken.None);

        Assert.Equal(
            ["ConfigMap/one", "ConfigMap/two", "ConfigMap/nested", "ConfigMap/test-only"],
            result.Manifests.Where(m => m.Key.Kind == "ConfigMap").Select(m => m.Key.ToString()));
    }

    [Theory]
    [InlineData("exclude folder", null, "sub/test/*", new[] { "guestbook-ui", "guestbook-ui", "one", "two", "guestbook", "nested" })]
    [InlineData("include alternation", "{c.json,sub/*.yml}", null, new[] { "guestbook", "nested" })]
    [InlineData("include star crosses folders", "*.yml", null, new[] { "nested" })]
    [InlineData("include and exclude", "*.yaml", "{b-*,sub/*}", new[] { "guestbook-ui", "guestbook-ui" })]
    public async Task RenderAsync_IncludeExclude_ArgoGlobSemantics(string name, string? include, string? exclude, string[] expected)
    {
        var options = new DirectoryOptions { Recurse = true, Include = include, Exclude = exclude };

        var result = await renderer.RenderAsync(Request("app", options), CancellationToken.None);

        Assert.Equal(expected, result.Manifests.Select(m => m.Key.Name));
    }

    [Fact]
    public async Task RenderAsync_SyntaxErrorInManifest_ErrorWithFileAndLine()
    {
        Write("app/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");
        Write("app/sub/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n  labels: {}\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", new DirectoryOptions { Recurse = true }, temp), CancellationToken.None));

        Assert.Equal("app/sub/broken.yaml", ex.Path);
        Assert.NotNull(ex.Line);
        Assert.InRange(ex.Line!.Value, 4, 6);
        Assert.StartsWith($"app/sub/broken.yaml:{ex.Line}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_DocumentWithoutKindAfterObject_ErrorNamingItsLine()
    {
        Write("app/mixed.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\nfoo: bar\n");

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", root: temp), CancellationToken.None));

        Assert.Equal("app/mixed.yaml:6: the document is not a Kubernetes object: apiVersion and kind are required", ex.Message);
    }

    [Fact]
    public async Task RenderAsync_UnrelatedYamlWithSyntaxError_Ignored()
    {
        Write("app/ci.yaml", "steps: [unclosed\n");
        Write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");

        var result = await renderer.RenderAsync(Request("app", root: temp), CancellationToken.None);

        Assert.Equal(["ConfigMap/ok"], result.Manifests.Select(m => m.Key.ToString()));
    }

    [Fact]
    public async Task RenderAsync_JsonWithoutKind_Error()
    {
        Write("app/package.json", "{\"name\": \"tooling\"}");

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", root: temp), CancellationToken.None));

        Assert.Equal("app/package.json", ex.Path);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public async Task RenderAsync_Jsonnet_ClearError()
    {
        Write("app/main.jsonnet", "{}");

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", root: temp), CancellationToken.None));

        Assert.Contains("jsonnet is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "nope", "nope: the path does not exist in the repository")]
    [InlineData("file", "app/c.json", "app/c.json: the path is a file, not a directory")]
    [InlineData("dot dot", "app/../../outside", "app/../../outside: the path leaves the repository root")]
    [InlineData("absolute", "/etc", "/etc: the path must be relative to the repository root")]
    public async Task RenderAsync_BadPath_ClearError(string name, string path, string message)
    {
        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request(path), CancellationToken.None));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task RenderAsync_SymlinkedFolderOutsideRoot_Refused()
    {
        var root = Path.Combine(temp, "root");
        System.IO.Directory.CreateDirectory(root);
        Write("secrets/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n");
        System.IO.Directory.CreateSymbolicLink(Path.Combine(root, "app"), Path.Combine(temp, "secrets"));

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", root: root), CancellationToken.None));

        Assert.Equal("app: the path leads outside the repository root through a symbolic link", ex.Message);
    }

    [Fact]
    public async Task RenderAsync_SymlinkedFileOutsideRoot_Refused()
    {
        var root = Path.Combine(temp, "root");
        Write("root/app/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");
        Write("secrets/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n");
        File.CreateSymbolicLink(Path.Combine(root, "app", "z.yaml"), Path.Combine(temp, "secrets", "s.yaml"));

        var ex = await Assert.ThrowsAsync<RenderException>(() => renderer.RenderAsync(Request("app", root: root), CancellationToken.None));

        Assert.Equal("app/z.yaml: the file is a symbolic link leading outside the repository root", ex.Message);
    }

    [Fact]
    public async Task RenderAsync_SymlinkInsideRoot_Allowed()
    {
        var root = Path.Combine(temp, "root");
        Write("root/base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n");
        System.IO.Directory.CreateDirectory(Path.Combine(root, "app"));
        File.CreateSymbolicLink(Path.Combine(root, "app", "cm.yaml"), Path.Combine(root, "base", "cm.yaml"));

        var result = await renderer.RenderAsync(Request("app", root: root), CancellationToken.None);

        Assert.Equal(["ConfigMap/shared"], result.Manifests.Select(m => m.Key.ToString()));
    }
}
