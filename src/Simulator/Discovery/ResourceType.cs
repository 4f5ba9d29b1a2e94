using System.Security.Cryptography;
using System.Text;

namespace Ferry.Simulator.Discovery;

/// <summary>One servable resource (a group-version's collection) as discovery describes it, with the storage traits the simulator needs.</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Kind { get; init; }

    public string SingularName { get; init; } = string.Empty;

    public required bool Namespaced { get; init; }

    public required IReadOnlyList<string> Verbs { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The group/version the real server stores the kind as; it feeds storageVersionHash.</summary>
    public string? StorageGroupVersion { get; init; }

    /// <summary>Whether <c>metadata.generation</c> is kept (objects with a spec a controller acts on).</summary>
    public bool HasGeneration { get; init; }

    public IReadOnlyList<Subresource> Subresources { get; init; } = [];

    /// <summary>A custom resource: unstructured, keys serialised in sorted order like the real server.</summary>
    public bool IsCustom { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>Whether the main resource ignores status changes (a status subresource exists).</summary>
    public bool HasStatusSubresource => Subresources.Any(s => s.Name == "status");

    /// <summary>The resource name as it appears in messages: <c>deployments.apps</c> or <c>configmaps</c>.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>The kind as it appears in validation messages: <c>Deployment.apps</c> or <c>Service</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The hash the real server computes: base64 of the first 8 bytes of SHA-256 over <c>group/version/Kind</c> of the storage version.</summary>
    public string StorageVersionHash
    {
        get
        {
            var storage = StorageGroupVersion ?? (Group.Length == 0 ? "/" + Version : $"{Group}/{Version}");
            var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{storage}/{Kind}"));
            return Convert.ToBase64String(bytes, 0, 8);
        }
    }
}

/// <summary>A subresource entry of discovery, such as <c>deployments/status</c>.</summary>
internal sealed record Subresource(string Name, string Kind, string? Group, string? Version, IReadOnlyList<string> Verbs);
