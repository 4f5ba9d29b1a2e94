using System.Text;

namespace Ferry.Core.Kube;

/// <summary>An <c>exec</c> credential plugin of a kubeconfig user (<c>client.authentication.k8s.io/v1</c> or <c>v1beta1</c>).</summary>
public sealed record KubeExecConfig
{
    /// <summary>The ExecCredential apiVersion the plugin speaks.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The command; a relative path with a slash resolves against the kubeconfig's folder, a bare name against PATH.</summary>
    public required string Command { get; init; }

    /// <summary>Arguments passed to the command.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Extra environment variables, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env { get; init; } = [];

    /// <summary>Pass the cluster's details in <c>KUBERNETES_EXEC_INFO</c>.</summary>
    public bool ProvideClusterInfo { get; init; }

    /// <summary>Text to show when the command is missing.</summary>
    public string? InstallHint { get; init; }

    /// <summary>The folder of the kubeconfig that declared the plugin.</summary>
    public required string BaseDirectory { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        // Plugin environments often carry secrets: print the names only.
        builder.Append("ApiVersion = ").Append(ApiVersion)
            .Append(", Command = ").Append(Command)
            .Append(", Env = [").AppendJoin(", ", Env.Select(e => e.Key)).Append(']');
        return true;
    }
}
