using System.Text.Json.Nodes;
using Ferry.Core.Kube;
using Ferry.Core.Resources;

namespace Ferry.Core.Sync;

/// <summary>An object the previous sync applied that Git no longer has: a prune candidate, with its live state and what became of it.</summary>
internal sealed class StaleObject(ResourceKey key, string apiVersion)
{
    public ResourceKey Key { get; } = key;

    public string ApiVersion { get; } = apiVersion;

    public ApiResource? Resource { get; set; }

    public JsonObject? Live { get; set; }

    /// <summary>Why its live state could not be read.</summary>
    public string? Error { get; set; }

    /// <summary>The live object's sync wave: prune runs in reverse wave order.</summary>
    public int Wave => int.TryParse((string?)Live?["metadata"]?["annotations"]?[Annotations.SyncWave], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var wave) ? wave : 0;

    /// <summary>The live object's own sync options (Prune=false, PruneLast=true).</summary>
    public SyncOptionSet Options => (string?)Live?["metadata"]?["annotations"]?[Annotations.SyncOptions] is { } text ? SyncOptionSet.Parse([text]) : new SyncOptionSet();

    /// <summary>The live object says <c>argocd.argoproj.io/compare-options: IgnoreExtraneous</c>: its being extraneous does not make the app OutOfSync.</summary>
    public bool IgnoreExtraneous => ((string?)Live?["metadata"]?["annotations"]?[Annotations.CompareOptions] ?? string.Empty)
        .Split(',', StringSplitOptions.TrimEntries).Contains("IgnoreExtraneous", StringComparer.Ordinal);

    /// <summary>Set once prune has dealt with it; still tracked afterwards when <see cref="Survives"/>.</summary>
    public bool Handled { get; set; }

    /// <summary>Not deleted and still ours: stays in the inventory.</summary>
    public bool Survives { get; set; }

    public int KindRank => KindOrder.Of(Key.Kind);
}
