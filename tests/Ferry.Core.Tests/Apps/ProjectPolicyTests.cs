using Ferry.Core.Apps;
using Ferry.Core.Resources;

namespace Ferry.Core.Tests.Apps;

public sealed class ProjectPolicyTests
{
    private static readonly AppProject Web = new()
    {
        Name = "web",
        SourceRepos = ["https://github.com/argoproj/*", "!https://github.com/argoproj/forbidden"],
        Destinations =
        [
            new ProjectDestination { Server = "https://kubernetes.default.svc", Namespace = "guestbook*" },
            new ProjectDestination { Name = "staging", Namespace = "*" },
            new ProjectDestination { Server = "*", Namespace = "!kube-system" },
        ],
        ClusterResourceWhitelist = [new GroupKind(string.Empty, "Namespace")],
        ClusterResourceBlacklist = [],
        NamespaceResourceBlacklist = [new GroupKind(string.Empty, "ResourceQuota")],
    };

    private readonly ProjectPolicy policy = new(Web);

    [Theory]
    [InlineData("https", "https://github.com/argoproj/argocd-example-apps.git", true)]
    [InlineData("scp-like form of an allowed repo", "git@github.com:Argoproj/argocd-example-apps.git", true)]
    [InlineData("other org", "https://github.com/someone/else", false)]
    [InlineData("star does not cross slash", "https://github.com/argoproj/nested/repo", false)]
    [InlineData("denied", "https://github.com/argoproj/forbidden.git", false)]
    public void CheckSource_Repos_Expected(string name, string url, bool allowed)
    {
        Assert.Equal(allowed, policy.CheckSource(url) is null);
    }

    [Fact]
    public void CheckSource_Denied_ViolationNamesRepoAndEntry()
    {
        var violation = policy.CheckSource("https://github.com/argoproj/forbidden")!;

        Assert.Equal("repository https://github.com/argoproj/forbidden: denied by sourceRepos entry '!https://github.com/argoproj/forbidden' (project web)", violation.Message);
    }

    [Theory]
    [InlineData("server and namespace glob", "https://kubernetes.default.svc", null, "guestbook-prod", true)]
    [InlineData("by name", null, "staging", "anything", true)]
    [InlineData("any server, namespace allowed", "https://other:6443", null, "apps", true)]
    [InlineData("namespace denied", "https://other:6443", null, "kube-system", false)]
    [InlineData("unknown name", null, "production", "apps", false)]
    public void CheckDestination_Destinations_Expected(string name, string? server, string? cluster, string ns, bool allowed)
    {
        var violation = policy.CheckDestination(new ApplicationDestination { Server = server, Name = cluster, Namespace = ns });

        Assert.Equal(allowed, violation is null);
    }

    [Theory]
    [InlineData("namespaced allowed", "apps", "Deployment", true, true)]
    [InlineData("namespaced blacklisted", "", "ResourceQuota", true, false)]
    [InlineData("cluster whitelisted", "", "Namespace", false, true)]
    [InlineData("cluster not whitelisted", "rbac.authorization.k8s.io", "ClusterRole", false, false)]
    public void CheckResource_Kinds_Expected(string name, string group, string kind, bool namespaced, bool allowed)
    {
        Assert.Equal(allowed, policy.CheckResource(new ResourceKey(group, kind, namespaced ? "ns" : string.Empty, "x"), namespaced) is null);
    }

    [Fact]
    public void CheckResource_Violation_NamesTheObject()
    {
        var violation = policy.CheckResource(new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", string.Empty, "admin"), namespaced: false)!;

        Assert.Equal("ClusterRole.rbac.authorization.k8s.io/admin: cluster-scoped kind ClusterRole.rbac.authorization.k8s.io is not in clusterResourceWhitelist (project web)", violation.Message);
    }

    [Fact]
    public void CheckResource_EmptyNamespaceWhitelist_DeniesAllNamespaced()
    {
        var strict = new ProjectPolicy(Web with { NamespaceResourceWhitelist = [] });

        Assert.NotNull(strict.CheckResource(new ResourceKey("apps", "Deployment", "ns", "x"), namespaced: true));
    }

    [Fact]
    public void DefaultProject_AllowsEverything()
    {
        var open = new ProjectPolicy(AppProject.Default);
        var app = new Application
        {
            Name = "a",
            Source = new ApplicationSource { RepoUrl = "https://example.com/any/repo" },
            Destination = new ApplicationDestination { Name = "anything", Namespace = "kube-system" },
        };

        Assert.Null(open.CheckApplication(app));
        Assert.Null(open.CheckResource(new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", string.Empty, "x"), namespaced: false));
        Assert.Null(open.CheckResource(new ResourceKey(string.Empty, "ResourceQuota", "ns", "x"), namespaced: true));
    }
}
