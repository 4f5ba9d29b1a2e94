using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>kustomize's image tag transformer: renames images and sets tags or digests where a container names the image.</summary>
internal static class ImageTransformer
{
    public static void Apply(List<KResource> resources, JsonObject image, IReadOnlyList<FieldSpec> specs)
    {
        // Go's YAML decoding of plugin configs matches field names case-insensitively.
        string Field(string key) => image.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { } v ? Transformers.ScalarText(v) : string.Empty;
        var name = Field("name");
        var newName = Field("newName");
        var newTag = Field("newTag");
        var digest = Field("digest");
        void Update(JsonObject parent, string key)
        {
            if (parent[key] is JsonValue v && v.TryGetValue<string>(out var value))
            {
                var updated = UpdateImage(value, name, newName, newTag, digest);
                if (updated is not null)
                {
                    parent[key] = updated;
                }
            }
        }

        foreach (var r in resources)
        {
            Legacy(r.Obj, Update);
            foreach (var spec in specs)
            {
                FieldWalker.Walk(r, spec, CreateKind.None, Update);
            }
        }
    }

    // Every "containers"/"initContainers" sequence anywhere in the object, as kustomize's legacy image filter does.
    private static void Legacy(JsonNode? node, Action<JsonObject, string> update)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key is "containers" or "initContainers" && value is JsonArray containers)
                    {
                        foreach (var container in containers.OfType<JsonObject>())
                        {
                            if (container.ContainsKey("image"))
                            {
                                update(container, "image");
                            }
                        }
                    }
                    else
                    {
                        Legacy(value, update);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Legacy(item, update);
                }

                break;
        }
    }

    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var digest = string.Empty;
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var tag = string.Empty;
        var colon = image.LastIndexOf(':');
        if (colon >= 0 && colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }

        return (image, tag, digest);
    }

    private static string? UpdateImage(string value, string match, string newName, string newTag, string newDigest)
    {
        var (name, tag, digest) = Split(value);
        if (name != match)
        {
            return null;
        }

        if (newName.Length > 0)
        {
            name = newName;
        }

        if (newTag.Length > 0 && newDigest.Length > 0)
        {
            tag = newTag;
            digest = newDigest;
        }
        else if (newTag.Length > 0)
        {
            tag = newTag;
            digest = string.Empty;
        }
        else if (newDigest.Length > 0)
        {
            digest = newDigest;
            tag = string.Empty;
        }

        if (tag.Length > 0)
        {
            name += ":" + tag;
        }

        if (digest.Length > 0)
        {
            name += "@" + digest;
        }

        return name;
    }
}
