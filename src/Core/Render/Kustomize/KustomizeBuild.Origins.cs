using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>buildMetadata's origin and transformer annotations: where each object came from and what transformed it.</summary>
internal sealed partial class KustomizeBuild
{
    private const string OriginAnnotation = "config.kubernetes.io/origin";
    private const string TransformationsAnnotation = "alpha.config.kubernetes.io/transformations";

    private string topDirectory = string.Empty;
    private bool originAnnotations;
    private bool transformerAnnotations;

    private bool TracksOrigins => originAnnotations || transformerAnnotations;

    private string FromTop(string full) => Path.GetRelativePath(topDirectory, full).Replace('\\', '/');

    private void MarkLoaded(List<KResource> resources, string full)
    {
        if (!TracksOrigins)
        {
            return;
        }

        foreach (var r in resources)
        {
            Annotate(r, OriginAnnotation, $"path: {FromTop(full)}\n");
        }
    }

    private static string ConfiguredText(string configuredIn, string apiVersion, string kind, JsonObject? plugin, int indent)
    {
        var pad = new string(' ', indent);
        var builder = new StringBuilder();
        builder.Append("configuredIn: ").Append(configuredIn).Append('\n');
        builder.Append(pad).Append("configuredBy:\n");
        builder.Append(pad).Append("  apiVersion: ").Append(apiVersion).Append('\n');
        builder.Append(pad).Append("  kind: ").Append(kind).Append('\n');
        if ((string?)plugin?["metadata"]?["name"] is { Length: > 0 } name)
        {
            builder.Append(pad).Append("  name: ").Append(name).Append('\n');
        }

        if ((string?)plugin?["metadata"]?["namespace"] is { Length: > 0 } ns)
        {
            builder.Append(pad).Append("  namespace: ").Append(ns).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Records a generator as the origin of what it made (when the object has none yet).</summary>
    private void MarkGenerated(KResource r, string configuredIn, string kind, JsonObject? plugin)
    {
        if (TracksOrigins && r.Annotations?[OriginAnnotation] is null)
        {
            Annotate(r, OriginAnnotation, ConfiguredText(FromTop(configuredIn), "builtin", kind, plugin, 0));
        }
    }

    /// <summary>After a transformer ran: objects without an origin take it as theirs, the rest list it as a transformation.</summary>
    private void MarkTransformed(List<KResource> resources, string configuredIn, string kind, JsonObject? plugin = null)
    {
        if (!TracksOrigins)
        {
            return;
        }

        var apiVersion = (string?)plugin?["apiVersion"] is { Length: > 0 } v ? v : "builtin";
        foreach (var r in resources)
        {
            if (r.Annotations?[OriginAnnotation] is null)
            {
                Annotate(r, OriginAnnotation, ConfiguredText(FromTop(configuredIn), apiVersion, kind, plugin, 0));
                continue;
            }

            var existing = (string?)r.Annotations?[TransformationsAnnotation] ?? string.Empty;
            Annotate(r, TransformationsAnnotation, existing + "- " + ConfiguredText(FromTop(configuredIn), apiVersion, kind, plugin, 2));
        }
    }

    private static void Annotate(KResource r, string key, string value)
    {
        if (r.Metadata()["annotations"] is not JsonObject annotations)
        {
            annotations = [];
            r.Metadata()["annotations"] = annotations;
        }

        annotations[key] = value;
    }

    /// <summary>Drops the tracking annotations the build metadata did not ask for, and annotations left empty or null, as kustomize's rewrite of them does.</summary>
    private void RemoveUnrequestedOrigins(IEnumerable<KResource> resources)
    {
        foreach (var r in resources)
        {
            if (r.Annotations is not { } annotations)
            {
                if (r.Obj["metadata"] is JsonObject metadata && metadata.TryGetPropertyValue("annotations", out var value) && value is null)
                {
                    metadata.Remove("annotations");
                }

                continue;
            }

            if (!originAnnotations)
            {
                annotations.Remove(OriginAnnotation);
            }

            if (!transformerAnnotations)
            {
                annotations.Remove(TransformationsAnnotation);
            }

            if (annotations.Count == 0)
            {
                r.Metadata().Remove("annotations");
            }
        }
    }
}
