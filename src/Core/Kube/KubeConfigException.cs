namespace Ferry.Core.Kube;

/// <summary>A kubeconfig (or in-cluster configuration) is malformed or incomplete; names the file, the field and, when known, the line.</summary>
public sealed class KubeConfigException(string file, string? field, string reason, int? line = null, Exception? inner = null)
    : Exception(Describe(file, field, reason, line), inner)
{
    /// <summary>The kubeconfig file.</summary>
    public string File { get; } = file;

    /// <summary>The field path within the file, e.g. <c>users[0].user.client-key-data</c>.</summary>
    public string? Field { get; } = field;

    /// <summary>One-based line when known.</summary>
    public int? Line { get; } = line;

    private static string Describe(string file, string? field, string reason, int? line)
    {
        var where = line is { } l ? $"{file}:{l}" : file;
        return field is null ? $"{where}: {reason}" : $"{where}: {field}: {reason}";
    }
}
