using Ferry.Core.Kube;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Kube;

/// <summary>Kubeconfig parsing, merging, context selection and errors, with files the tests write.</summary>
public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Paths_ExplicitPath_WinsOverKubeconfigVariable()
    {
        Assert.Equal([Path.GetFullPath("/x/explicit")], KubeConfigLoader.Paths("/x/explicit", "/a:/b", "/home/u"));
    }

    [Fact]
    public void Paths_KubeconfigVariable_SplitsInOrderWithoutDuplicatesOrEmpties()
    {
        Assert.Equal(["/a/one", "/b/two"], KubeConfigLoader.Paths(null, $"/a/one{Path.PathSeparator}{Path.PathSeparator}/b/two{Path.PathSeparator}/a/one", "/home/u"));
    }

    [Fact]
    public void Paths_Nothing_FallsBackToHomeKubeConfig()
    {
        Assert.Equal(["/home/u/.kube/config"], KubeConfigLoader.Paths(null, null, "/home/u"));
    }

    [Fact]
    public async Task LoadAsync_TwoFiles_FirstWinsPerNameAndForCurrentContext()
    {
        var first = _dir.Write("a/config", """
            current-context: alpha
            clusters:
            - name: shared
              cluster: {server: "https://first.example:6443"}
            contexts:
            - name: alpha
              context: {cluster: shared, user: u}
            users:
            - name: u
              user: {token: first-token}
            """);
        var second = _dir.Write("b/config", """
            current-context: beta
            clusters:
            - name: shared
              cluster: {server: "https://second.example:6443"}
            - name: only-second
              cluster: {server: "https://third.example:6443", insecure-skip-tls-verify: true}
            contexts:
            - name: beta
              context: {cluster: only-second, user: u, namespace: team}
            users:
            - name: u
              user: {token: second-token}
            """);

        var config = await KubeConfigLoader.LoadAsync([first, Path.Combine(_dir.Path, "missing"), second], false, CancellationToken.None);

        Assert.Equal("alpha", config.CurrentContext);
        Assert.Equal("https://first.example:6443", config.Clusters["shared"].Server);
        Assert.True(config.Clusters["only-second"].InsecureSkipTlsVerify);
        Assert.Equal("first-token", config.Users["u"].Token);
        Assert.Equal(["alpha", "beta"], config.Contexts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("team", config.Contexts["beta"].Namespace);
        Assert.Equal([first, second], config.Files);
    }

    [Fact]
    public async Task LoadAsync_RelativePaths_ResolveAgainstTheFilesFolder()
    {
        var path = _dir.Write("kube/config", """
            clusters:
            - name: c
              cluster: {server: "https://k:6443", certificate-authority: certs/ca.crt}
            users:
            - name: u
              user: {client-certificate: ../client.crt, client-key: /abs/client.key, tokenFile: token}
            """);

        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);

        Assert.Equal(Path.Combine(_dir.Path, "kube", "certs", "ca.crt"), config.Clusters["c"].CertificateAuthority);
        Assert.Equal(Path.Combine(_dir.Path, "client.crt"), config.Users["u"].ClientCertificate);
        Assert.Equal("/abs/client.key", config.Users["u"].ClientKey);
        Assert.Equal(Path.Combine(_dir.Path, "kube", "token"), config.Users["u"].TokenFile);
    }

    [Fact]
    public async Task LoadAsync_ExplicitFileMissing_ThrowsNamingIt()
    {
        var missing = Path.Combine(_dir.Path, "nope");

        var ex = await Assert.ThrowsAsync<KubeConfigException>(() => KubeConfigLoader.LoadAsync([missing], true, CancellationToken.None));

        Assert.Equal(missing, ex.File);
    }

    public static TheoryData<string, string, string> MalformedFiles => new()
    {
        { "clusters is a mapping", "clusters: {a: b}\n", "clusters" },
        { "cluster without name", "clusters:\n- cluster: {server: https://x}\n", "clusters[0].name" },
        { "server is a list", "clusters:\n- name: c\n  cluster:\n    server: [a, b]\n", "clusters[0].cluster.server" },
        { "bad base64", "users:\n- name: u\n  user:\n    client-key-data: \"%%%not base64\"\n", "users[0].user.client-key-data" },
        { "insecure not a bool", "clusters:\n- name: c\n  cluster: {server: https://x, insecure-skip-tls-verify: sometimes}\n", "clusters[0].cluster.insecure-skip-tls-verify" },
        { "exec apiVersion unknown", "users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: x}\n", "users[0].user.exec.apiVersion" },
        { "exec without command", "users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1}\n", "users[0].user.exec.command" },
        { "exec env not a list", "users:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: x, env: {A: b}}\n", "users[0].user.exec.env" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Parse_Malformed_ThrowsNamingFileAndField(string name, string text, string field)
    {
        var ex = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Parse(text, "/cfg/" + name));

        Assert.Equal("/cfg/" + name, ex.File);
        Assert.Equal(field, ex.Field);
        Assert.Contains($"/cfg/{name}: {field}:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_YamlSyntaxError_ThrowsWithLine()
    {
        var ex = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.Parse("clusters:\n- name: c\n  cluster: {server: [unclosed\n", "/cfg/broken"));

        Assert.Equal("/cfg/broken", ex.File);
        Assert.NotNull(ex.Line);
        Assert.StartsWith("/cfg/broken:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UserWithToken_NeverPrintsTheToken()
    {
        var config = KubeConfigLoader.Parse("users:\n- name: u\n  user: {token: very-secret-token, client-key-data: c2VjcmV0LWtleQ==}\n", "/cfg/x");

        var printed = config.Users["u"].ToString();
        Assert.DoesNotContain("very-secret-token", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", printed, StringComparison.Ordinal);
        Assert.Contains("Name = u", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromKubeConfigAsync_ContextGiven_UsesItsClusterTokenAndNamespace()
    {
        await using var server = await KubeReplayServer.StartAsync();
        server.MapDiscovery();
        server.Map("GET", "/apis/apps/v1/namespaces/team/deployments/web", "025-get-deployment");
        var path = _dir.Write("config", $"""
            current-context: elsewhere
            clusters:
            - name: replay
              cluster: {"{"}server: "{server.Url}"{"}"}
            - name: other
              cluster: {"{"}server: "https://unused.invalid:6443"{"}"}
            contexts:
            - name: elsewhere
              context: {"{"}cluster: other, user: u{"}"}
            - name: replay
              context: {"{"}cluster: replay, user: u, namespace: team{"}"}
            users:
            - name: u
              user: {"{"}token: ctx-token{"}"}
            """);
        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);
        using var client = await KubeClientFactory.FromKubeConfigAsync(config, "replay", KubeClientTests.TestOptions(), CancellationToken.None);

        var deployments = await client.ResolveAsync("apps/v1", "Deployment", CancellationToken.None);
        var live = await client.GetAsync(deployments, null, "web", CancellationToken.None);

        Assert.NotNull(live);
        Assert.Equal("team", client.DefaultNamespace);
        Assert.All(server.Requests, r => Assert.Equal("Bearer ctx-token", r.Authorization));
    }

    [Fact]
    public async Task FromKubeConfigAsync_TokenFile_ReadsTheFile()
    {
        await using var server = await KubeReplayServer.StartAsync();
        server.MapDiscovery();
        _dir.Write("sa/token", "file-token\n");
        var path = _dir.Write("config", $"clusters:\n- name: c\n  cluster: {{server: \"{server.Url}\"}}\nusers:\n- name: u\n  user: {{tokenFile: sa/token}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n");
        using var client = await KubeClientFactory.FromKubeConfigAsync(await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None), null, KubeClientTests.TestOptions(), CancellationToken.None);

        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("Bearer file-token", Assert.Single(server.Requests).Authorization);
    }

    [Theory]
    [InlineData("nosuch", "contexts")]
    [InlineData("dangling", "contexts[0].context.cluster")]
    [InlineData("noserver", "clusters[0].cluster.server")]
    public async Task FromKubeConfigAsync_BrokenContext_ThrowsNamingTheField(string context, string field)
    {
        var path = _dir.Write("config", """
            clusters:
            - name: empty
              cluster: {}
            contexts:
            - name: dangling
              context: {cluster: gone}
            - name: noserver
              context: {cluster: empty}
            """);
        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<KubeConfigException>(() => KubeClientFactory.FromKubeConfigAsync(config, context, null, CancellationToken.None));

        Assert.Equal(field, ex.Field);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromKubeConfigAsync_CaDataNotPem_ThrowsNamingTheField()
    {
        var path = _dir.Write("config", "clusters:\n- name: c\n  cluster: {server: \"https://k:6443\", certificate-authority-data: bm90IGEgY2VydA==}\ncontexts:\n- name: x\n  context: {cluster: c}\n");
        var config = await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<KubeConfigException>(() => KubeClientFactory.FromKubeConfigAsync(config, "x", null, CancellationToken.None));

        Assert.Equal("clusters[0].cluster.certificate-authority-data", ex.Field);
    }

    [Fact]
    public async Task FromInClusterAsync_ServiceAccountFiles_UsesHostTokenCaAndNamespace()
    {
        var authority = TestCertificates.CreateAuthority("in-cluster-ca");
        _dir.Write("sa/token", "sa-token");
        _dir.Write("sa/ca.crt", authority.ExportCertificatePem());
        _dir.Write("sa/namespace", "ferry-system");
        var env = new Dictionary<string, string?> { ["KUBERNETES_SERVICE_HOST"] = "10.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };

        using var client = await KubeClientFactory.FromInClusterAsync(Path.Combine(_dir.Path, "sa"), env, null, CancellationToken.None);

        Assert.Equal(new Uri("https://10.0.0.1:443/"), client.Server);
        Assert.Equal("ferry-system", client.DefaultNamespace);
        Assert.True(InClusterConfig.IsAvailable(env));
    }

    [Fact]
    public async Task FromInClusterAsync_NotInAPod_ThrowsNamingTheVariable()
    {
        var ex = await Assert.ThrowsAsync<KubeConfigException>(() => KubeClientFactory.FromInClusterAsync(_dir.Path, new Dictionary<string, string?>(), null, CancellationToken.None));

        Assert.Equal("KUBERNETES_SERVICE_HOST", ex.Field);
    }
}
