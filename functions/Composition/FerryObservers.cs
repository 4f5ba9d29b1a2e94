using Ferry.Core.Git;
using Ferry.Core.Kube;

namespace Ferry.Functions.Composition;

/// <summary>Hooks that watch Ferry's outbound calls (telemetry dependencies, request counters).</summary>
internal sealed record FerryObservers
{
    /// <summary>Called after each git command.</summary>
    public Action<GitCommandInfo>? OnGitCommand { get; init; }

    /// <summary>Called after each Kubernetes API request.</summary>
    public Action<KubeRequestInfo>? OnKubeRequest { get; init; }

    /// <summary>Combines several observers into one.</summary>
    public static FerryObservers Combine(IEnumerable<FerryObservers> observers)
    {
        var all = observers.ToList();
        var git = all.Select(o => o.OnGitCommand).OfType<Action<GitCommandInfo>>().ToList();
        var kube = all.Select(o => o.OnKubeRequest).OfType<Action<KubeRequestInfo>>().ToList();
        return new FerryObservers
        {
            OnGitCommand = git.Count == 0 ? null : info => git.ForEach(a => a(info)),
            OnKubeRequest = kube.Count == 0 ? null : info => kube.ForEach(a => a(info)),
        };
    }
}
