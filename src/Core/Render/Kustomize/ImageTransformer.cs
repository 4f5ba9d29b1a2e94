using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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
        var tagSuffix = Field("tagSuffix");
        var matcher = Matcher(name);
        void Update(JsonObject parent, string key)
        {
            if (parent[key] is JsonValue v && v.TryGetValue<string>(out var value) && matcher is not null && matcher.IsMatch(value))
            {
                var updated = UpdateImage(value, newName, newTag, digest, tagSuffix);
                if (updated is not null)
                {
                    parent[key] = updated;
                }
            }
        }

        // Both passes run, as in kustomize v5.5: an image at a field-spec path that still matches after the first gets a tag
        // suffix twice.
        foreach (var r in resources)
        {
            if (r.Gvk.Kind != "CustomResourceDefinition")
            {
                Legacy(r.Obj, Update);
            }

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

    /// <summary>kustomize's image match: the configured name as a regular expression, then an optional tag of [a-zA-Z0-9_.{}-]
    /// and an optional sha256 digest.</summary>
    private static Regex? Matcher(string name)
    {
        try
        {
            return new Regex("^" + name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // Go's regexp.Compile fails the same names; kustomize then matches nothing.
            return null;
        }
    }

    /// <summary>Splits an image reference as kustomize does: after the first '/', the first '@' or ':' ends the name.</summary>
    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var slash = image.IndexOf('/');
        var offset = slash > 0 ? slash : 0;
        var at = image.IndexOf('@', offset);
        var colon = image.IndexOf(':', offset);
        if (at < 0 && colon < 0)
        {
            return (image, string.Empty, string.Empty);
        }

        if (at >= 0 && (at < colon || colon < 0))
        {
            return (image[..at], string.Empty, image[(at + 1)..]);
        }

        if (at >= 0)
        {
            return (image[..colon], image[(colon + 1)..at], image[(at + 1)..]);
        }

        return (image[..colon], image[(colon + 1)..], string.Empty);
    }

    private static string UpdateImage(string value, string newName, string newTag, string newDigest, string tagSuffix)
    {
        var (name, tag, digest) = Split(value);
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
        else if (tagSuffix.Length > 0)
        {
            tag += tagSuffix;
            digest = string.Empty;
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
