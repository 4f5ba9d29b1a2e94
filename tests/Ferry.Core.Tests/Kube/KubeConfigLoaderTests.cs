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
        Assert.Equal("https://first.example:6443", Cluster(config, "shared").Server);
        Assert.True(Cluster(config, "only-second").SkipTlsVerify);
        Assert.Equal("first-token", Assert.Single(config.Model.Users).UserCredentials.Token);
        Assert.Equal(["alpha", "beta"], config.Model.Contexts.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("team", config.Model.Contexts.Single(c => c.Name == "beta").ContextDetails.Namespace);
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

        var user = Assert.Single(config.Model.Users).UserCredentials;
        Assert.Equal(Path.Combine(_dir.Path, "kube", "certs", "ca.crt"), Cluster(config, "c").CertificateAuthority);
        Assert.Equal(Path.Combine(_dir.Path, "client.crt"), user.ClientCertificate);
        Assert.Equal("/abs/client.key", user.ClientKey);
        Assert.Equal(Path.Combine(_dir.Path, "kube", "token"), config.TokenFiles["u"]);
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

        var printed = config.ToString();
        Assert.DoesNotContain("very-secret-token", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", printed, StringComparison.Ordinal);
        Assert.StartsWith("KubeConfig {", printed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_TwoFilesWithRelativePaths_EachResolvesAgainstItsOwnFolder()
    {
        var first = _dir.Write("one/config", "clusters:\n- name: a\n  cluster: {server: \"https://a:6443\", certificate-authority: ca.crt}\n");
        var second = _dir.Write("two/config", "clusters:\n- name: b\n  cluster: {server: \"https://b:6443\", certificate-authority: ca.crt}\nusers:\n- name: u\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/plugin}\n");

        var config = await KubeConfigLoader.LoadAsync([first, second], true, CancellationToken.None);

        Assert.Equal(Path.Combine(_dir.Path, "one", "ca.crt"), Cluster(config, "a").CertificateAuthority);
        Assert.Equal(Path.Combine(_dir.Path, "two", "ca.crt"), Cluster(config, "b").CertificateAuthority);
        Assert.Equal(Path.Combine(_dir.Path, "two", "bin", "plugin"), Assert.Single(config.Model.Users).UserCredentials.ExternalExecution.Command);
    }

    [Fact]
    public async Task FromKubeConfigAsync_ContextNamesDifferingOnlyInCase_PicksTheExactOne()
    {
        await using var server = await KubeReplayServer.StartAsync();
        server.Map("GET", "/version", "001-version");
        var path = _dir.Write("config", $"clusters:\n- name: c\n  cluster: {{server: \"{server.Url}\"}}\nusers:\n- name: upper\n  user: {{token: upper-token}}\n- name: lower\n  user: {{token: lower-token}}\ncontexts:\n- name: Prod\n  context: {{cluster: c, user: upper}}\n- name: prod\n  context: {{cluster: c, user: lower}}\n");
        using var client = await KubeClientFactory.FromKubeConfigAsync(await KubeConfigLoader.LoadAsync([path], true, CancellationToken.None), "prod", KubeClientTests.TestOptions(), CancellationToken.None);

        await client.GetServerVersionAsync(CancellationToken.None);

        Assert.Equal("Bearer lower-token", Assert.Single(server.Requests).Authorization);
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
    public void FromInCluster_NotInAPod_ThrowsNamingWhatIsMissing()
    {
        if (k8s.KubernetesClientConfiguration.IsInCluster())
        {
            // Running inside a pod: KubernetesClient's in-cluster configuration is genuinely available here.
            return;
        }

        var ex = Assert.Throws<KubeConfigException>(() => KubeClientFactory.FromInCluster());

        Assert.Equal("in-cluster configuration", ex.File);
        Assert.NotNull(ex.Field);
    }

    private static k8s.KubeConfigModels.ClusterEndpoint Cluster(KubeConfig config, string name) =>
        config.Model.Clusters.Single(c => c.Name == name).ClusterEndpoint;
}
