using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Parses Argo CD's image override strings (`kustomize edit set image` syntax) into kustomization `images` entries.</summary>
internal static class ImageOverride
{
    public static JsonObject Parse(string spec)
    {
        var result = new JsonObject();
        string name;
        string target;
        var eq = spec.IndexOf('=');
        if (eq >= 0)
        {
            name = spec[..eq];
            target = spec[(eq + 1)..];
        }
        else
        {
            name = ImageTransformer.Split(spec).Name;
            target = spec;
        }

        result["name"] = name;
        var (newName, tag, digest) = ImageTransformer.Split(target);
        if (newName != name)
        {
            result["newName"] = newName;
        }

        if (tag.Length > 0)
        {
            result["newTag"] = tag;
        }

        if (digest.Length > 0)
        {
            result["digest"] = digest;
        }

        return result;
    }
}
