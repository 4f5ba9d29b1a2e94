using Ferry.Core.Git;
using Ferry.Core.Render.Directory;
using Ferry.Core.Resources;

namespace Ferry.Core.Apps;

/// <summary>Checks applications and rendered objects against an AppProject's restrictions, with Argo CD's rules.</summary>
public sealed class ProjectPolicy(AppProject project)
{
    /// <summary>The project enforced.</summary>
    public AppProject Project { get; } = project;

    /// <summary>Checks the app's source repository and destination; null when both are permitted.</summary>
    public ProjectViolation? CheckApplication(Application application) =>
        application.AllSources.Select(s => CheckSource(s.RepoUrl)).FirstOrDefault(v => v is not null) ?? CheckDestination(application.Destination);

    /// <summary>Checks a repository URL against sourceRepos (normalized URLs; <c>*</c> stops at <c>/</c>; <c>!</c> denies).</summary>
    public ProjectViolation? CheckSource(string repoUrl)
    {
        var normalized = GitUrl.Normalize(repoUrl);
        var matched = false;
        foreach (var pattern in Project.SourceRepos)
        {
            if (pattern == "*")
            {
                matched = true;
                continue;
            }

            var deny = pattern.StartsWith('!');
            var body = deny ? pattern[1..] : pattern;
            var isMatch = body == "*" || Glob.Match(GitUrl.Normalize(body), normalized, '/');
            if (deny && isMatch)
            {
                return new ProjectViolation(Project.Name, $"repository {GitUrl.WithoutCredentials(repoUrl)}", $"denied by sourceRepos entry '{pattern}'");
            }

            matched |= !deny && isMatch;
        }

        return matched ? null : new ProjectViolation(Project.Name, $"repository {GitUrl.WithoutCredentials(repoUrl)}", "not permitted by sourceRepos");
    }

    /// <summary>Checks a destination against the project's destinations (server or name, and namespace; <c>!</c> denies).</summary>
    public ProjectViolation? CheckDestination(ApplicationDestination destination)
    {
        var server = destination.Server ?? string.Empty;
        var name = destination.Name ?? string.Empty;
        var ns = destination.Namespace ?? string.Empty;
        var subject = $"destination {destination}";
        var matched = false;
        foreach (var item in Project.Destinations)
        {
            var serverMatched = server.Length > 0 && Matches(item.Server, server);
            var nameMatched = name.Length > 0 && Matches(item.Name, name);
            var namespaceMatched = Matches(item.Namespace, ns);
            if ((serverMatched || nameMatched) && namespaceMatched)
            {
                matched = true;
            }
            else if ((server.Length > 0 && !serverMatched && IsDeny(item.Server)) || (name.Length > 0 && !nameMatched && IsDeny(item.Name)))
            {
                return new ProjectViolation(Project.Name, subject, $"cluster denied by destination '{item.Server ?? item.Name}'");
            }
            else if (ns.Length > 0 && !namespaceMatched && IsDeny(item.Namespace))
            {
                return new ProjectViolation(Project.Name, subject, $"namespace denied by destination namespace '{item.Namespace}'");
            }
        }

        return matched ? null : new ProjectViolation(Project.Name, subject, "not permitted by the project's destinations");
    }

    /// <summary>Checks a rendered object's group and kind against the cluster- or namespace-scoped allow and deny lists.</summary>
    public ProjectViolation? CheckResource(ResourceKey key, bool namespaced)
    {
        var subject = key.ToString();
        if (namespaced)
        {
            var whitelist = Project.NamespaceResourceWhitelist;
            if (whitelist is not null && !Contains(whitelist, key))
            {
                return new ProjectViolation(Project.Name, subject, $"namespaced kind {Describe(key)} is not in namespaceResourceWhitelist");
            }

            return Contains(Project.NamespaceResourceBlacklist, key)
                ? new ProjectViolation(Project.Name, subject, $"namespaced kind {Describe(key)} is in namespaceResourceBlacklist")
                : null;
        }

        if (!Contains(Project.ClusterResourceWhitelist, key))
        {
            return new ProjectViolation(Project.Name, subject, $"cluster-scoped kind {Describe(key)} is not in clusterResourceWhitelist");
        }

        return Contains(Project.ClusterResourceBlacklist, key)
            ? new ProjectViolation(Project.Name, subject, $"cluster-scoped kind {Describe(key)} is in clusterResourceBlacklist")
            : null;
    }

    private static bool Contains(IReadOnlyList<GroupKind> list, ResourceKey key) =>
        list.Any(gk => Glob.Match(gk.Group, key.Group) && Glob.Match(gk.Kind, key.Kind));

    private static string Describe(ResourceKey key) => key.Group.Length == 0 ? key.Kind : $"{key.Kind}.{key.Group}";

    private static bool IsDeny(string? pattern) => pattern is not null && pattern.StartsWith('!');

    /// <summary>Argo's globMatch with negation: <c>!x</c> matches whatever <c>x</c> does not.</summary>
    private static bool Matches(string? pattern, string value)
    {
        if (pattern is null)
        {
            return value.Length == 0;
        }

        return IsDeny(pattern) ? !Glob.Match(pattern[1..], value) : Glob.Match(pattern, value);
    }
}
