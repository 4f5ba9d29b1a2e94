using Ferry.Core.Apps;

namespace Ferry.Core.Tests.Apps;

public sealed class ClusterCatalogTests
{
    private const string Clusters = """
        clusters:
          - name: prod
            server: https://prod.example.com:6443/
            auth:
              token:
                env: PROD_TOKEN
              caData: Q0EK
          - name: dev
            server: https://dev.example.com
            auth:
              kubeconfig:
                path: /home/me/.kube/config
                context: dev
          - name: aks
            server: https://aks.example.com
            auth:
              azure:
                clientId: 00000000-0000-0000-0000-000000000001
        """;

    private readonly ClusterCatalog catalog = ClusterCatalog.Parse(Clusters, "clusters.yaml");

    [Fact]
    public void Parse_AllAuthForms_Modelled()
    {
        Assert.Equal(
            [
                new ClusterEntry("prod", "https://prod.example.com:6443", new TokenClusterAuth("PROD_TOKEN", "Q0EK")),
                new ClusterEntry("dev", "https://dev.example.com", new KubeconfigClusterAuth("/home/me/.kube/config", "dev")),
                new ClusterEntry("aks", "https://aks.example.com", new AzureClusterAuth("00000000-0000-0000-0000-000000000001")),
            ],
            catalog.Clusters);
    }

    [Theory]
    [InlineData("by name", null, "dev", "dev")]
    [InlineData("by server", "https://prod.example.com:6443", null, "prod")]
    [InlineData("server with slash and case", "https://PROD.example.com:6443/", null, "prod")]
    [InlineData("in-cluster server", "https://kubernetes.default.svc", null, "in-cluster")]
    [InlineData("in-cluster name", null, "in-cluster", "in-cluster")]
    public void Resolve_Destination_GivesCluster(string name, string? server, string? cluster, string expected)
    {
        var entry = catalog.Resolve(new ApplicationDestination { Server = server, Name = cluster });

        Assert.Equal(expected, entry.Name);
    }

    [Fact]
    public void Resolve_InCluster_IsTheCurrentKubeconfigContext()
    {
        Assert.Equal(new KubeconfigClusterAuth(), catalog.Resolve(new ApplicationDestination { Server = "https://kubernetes.default.svc/" }).Auth);
    }

    [Fact]
    public void Resolve_Unknown_ClearErrorListingKnownClusters()
    {
        var ex = Assert.Throws<UnknownClusterException>(() => catalog.Resolve(new ApplicationDestination { Name = "staging" }));

        Assert.Equal("staging", ex.Destination);
        Assert.Contains("destination staging is not a known cluster", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dev (https://dev.example.com)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no auth", "clusters:\n  - name: a\n    server: https://a\n", "clusters[0].auth", 2)]
    [InlineData("two auths", "clusters:\n  - name: a\n    server: https://a\n    auth:\n      azure: {}\n      token:\n        env: X\n", "clusters[0].auth", 4)]
    [InlineData("token without env", "clusters:\n  - name: a\n    server: https://a\n    auth:\n      token: {}\n", "clusters[0].auth.token.env", 5)]
    [InlineData("missing server", "clusters:\n  - name: a\n    auth:\n      azure: {}\n", "clusters[0].server", 2)]
    public void Parse_Invalid_ErrorNamesFieldAndLine(string name, string text, string field, int line)
    {
        var ex = Assert.Throws<AppValidationException>(() => ClusterCatalog.Parse(text, "clusters.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(line, error.Line);
        Assert.Equal("clusters.yaml", error.File);
    }
}
