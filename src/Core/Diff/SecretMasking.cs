using System.Text.Json.Nodes;

namespace Ferry.Core.Diff;

/// <summary>Hides Secret values in manifests shown to people, as Argo CD does: every value of <c>data</c> and <c>stringData</c> becomes <c>++++++++</c>.</summary>
public static class SecretMasking
{
    /// <summary>The mask that replaces each value.</summary>
    public const string Mask = "++++++++";

    /// <summary>A copy of <paramref name="obj"/> with a core-group Secret's values masked and the last-applied annotation (which repeats them) dropped.</summary>
    public static JsonObject Masked(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        var apiVersion = (string?)copy["apiVersion"];
        if ((string?)copy["kind"] != "Secret" || apiVersion != "v1")
        {
            return copy;
        }

        foreach (var field in (string[])["data", "stringData"])
        {
            if (copy[field] is JsonObject values)
            {
                foreach (var name in values.Select(p => p.Key).ToList())
                {
                    values[name] = Mask;
                }
            }
        }

        (copy["metadata"]?["annotations"] as JsonObject)?.Remove("kubectl.kubernetes.io/last-applied-configuration");
        return copy;
    }
}
