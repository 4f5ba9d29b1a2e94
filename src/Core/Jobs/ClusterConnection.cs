using Ferry.Core.Kube;

namespace Ferry.Core.Jobs;

/// <summary>A connected cluster: its client and a name people recognise.</summary>
public sealed record ClusterConnection(IKubeClient Client, string DisplayName);
