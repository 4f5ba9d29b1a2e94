namespace Ferry.Core.Kube;

/// <summary>The cluster does not serve a kind at an apiVersion; usually its CustomResourceDefinition is not installed yet.</summary>
public sealed class UnknownKindException(string apiVersion, string kind)
    : Exception($"the server does not serve kind \"{kind}\" in apiVersion \"{apiVersion}\"; is a CustomResourceDefinition missing, or not yet established?")
{
    /// <summary>The apiVersion that was asked for.</summary>
    public string ApiVersion { get; } = apiVersion;

    /// <summary>The kind that was asked for.</summary>
    public string Kind { get; } = kind;
}
