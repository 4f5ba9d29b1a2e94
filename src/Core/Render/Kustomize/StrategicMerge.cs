using System.Text.Json.Nodes;

namespace Ferry.Core.Render.Kustomize;

/// <summary>Strategic merge patch as kustomize applies it: merge keys from the schema, patch elements first, $patch directives.</summary>
internal static class StrategicMerge
{
    /// <summary>Merges <paramref name="patch"/> into a copy of <paramref name="target"/>; null means the patch deleted the object.</summary>
    public static JsonObject? Apply(JsonObject target, JsonObject patch, PatchSchema schema)
    {
        // kustomize takes the schema from the target's type, or else from the patch's.
        var type = schema.RootType(Gvk.FromApiVersion((string?)target["apiVersion"], (string?)target["kind"]))
            ?? schema.RootType(Gvk.FromApiVersion((string?)patch["apiVersion"], (string?)patch["kind"]));
        var copy = (JsonObject)target.DeepClone();
        Normalize(copy, type, schema);
        return MergeObject(copy, patch, type, schema);
    }

    /// <summary>Collapses elements of merging lists that share a key (the later wins, in the earlier's place), as kustomize's merge walk does everywhere.</summary>
    private static void Normalize(JsonObject obj, string? type, PatchSchema schema)
    {
        if (type is null)
        {
            return;
        }

        foreach (var (key, value) in obj.ToArray())
        {
            var field = schema.Field(type, key);
            if (field is null)
            {
                continue;
            }

            switch (value)
            {
                case JsonObject child:
                    Normalize(child, field.Type, schema);
                    break;
                case JsonArray list when field.Merges && field.Keys.Length > 0 && list.All(e => e is JsonObject):
                    var result = new List<JsonObject>();
                    foreach (var element in list.OfType<JsonObject>())
                    {
                        var index = result.FindIndex(r => Matches(r, element, field.Keys));
                        if (index >= 0)
                        {
                            result[index] = element;
                        }
                        else
                        {
                            result.Add(element);
                        }
                    }

                    if (result.Count != list.Count)
                    {
                        var replacement = new JsonArray();
                        foreach (var element in result)
                        {
                            replacement.Add(element.DeepClone());
                        }

                        obj[key] = replacement;
                        list = replacement;
                    }

                    foreach (var element in list.OfType<JsonObject>())
                    {
                        Normalize(element, field.Type, schema);
                    }

                    break;
                case JsonArray other:
                    foreach (var element in other.OfType<JsonObject>())
                    {
                        Normalize(element, field.Type, schema);
                    }

                    break;
            }
        }
    }

    private static JsonObject? MergeObject(JsonObject dest, JsonObject patch, string? type, PatchSchema schema)
    {
        switch ((string?)patch["$patch"])
        {
            case "delete":
                return null;
            case "replace":
                return Clean(patch);
        }

        // kustomize's merge knows only the $patch directive; $retainKeys, $setElementOrder/… are kept as ordinary fields.
        foreach (var (key, patchValue) in patch)
        {
            if (key == "$patch")
            {
                continue;
            }

            if (patchValue is null)
            {
                dest.Remove(key);
                continue;
            }

            var field = schema.Field(type, key);
            dest.TryGetPropertyValue(key, out var destValue);
            switch (patchValue)
            {
                case JsonObject patchObject:
                    // A map the target lacks is merged into an empty one, so its nulls clear fields as they would in an existing map.
                    var merged = MergeObject(destValue as JsonObject ?? [], patchObject, field?.Type, schema);
                    if (merged is null)
                    {
                        dest.Remove(key);
                    }
                    else
                    {
                        dest[key] = merged;
                    }

                    break;
                case JsonArray patchArray:
                    // A list without a merge strategy is replaced as written, directives and all, as kustomize does.
                    dest[key] = destValue is JsonArray destArray && field is { Merges: true }
                        ? MergeList(destArray, patchArray, field, schema)
                        : field is { Merges: true } ? NewList(patchArray, field, schema) : patchArray.DeepClone();
                    break;
                default:
                    dest[key] = patchValue.DeepClone();
                    break;
            }
        }

        return dest;
    }

    private static JsonArray MergeList(JsonArray dest, JsonArray patch, SchemaField field, PatchSchema schema)
    {
        if (patch.OfType<JsonObject>().FirstOrDefault(e => (string?)e["$patch"] == "replace") is not null)
        {
            return CleanList(new JsonArray([.. patch.Where(e => (string?)(e as JsonObject)?["$patch"] != "replace").Select(e => e?.DeepClone())]));
        }

        var result = new JsonArray();
        if (field.Keys.Length == 0 || patch.Any(e => e is not JsonObject) || dest.Any(e => e is not JsonObject))
        {
            // A merging list of scalars: the union, patch values first.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in patch.Concat(dest))
            {
                if (item is JsonObject || !seen.Add(item?.ToJsonString() ?? "null"))
                {
                    continue;
                }

                result.Add(item?.DeepClone());
            }

            return result;
        }

        var used = new bool[dest.Count];
        var merged = new JsonObject?[dest.Count];
        var added = new List<JsonObject>();
        var order = new List<(int Dest, JsonObject? Added)>();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var match = -1;
            for (var i = 0; i < dest.Count; i++)
            {
                if (!used[i] && Matches((JsonObject)dest[i]!, element, field.Keys))
                {
                    match = i;
                    break;
                }
            }

            if ((string?)element["$patch"] == "delete")
            {
                if (match >= 0)
                {
                    used[match] = true;
                }

                continue;
            }

            if (match >= 0 && field.Keys.Length > 1 && !SameKeys((JsonObject)dest[match]!, element, field.Keys))
            {
                // kustomize's multi-key merge finds neither side when one lacks a key the other has: the target element
                // stays as it was and the patch element is dropped.
                continue;
            }

            if (match >= 0)
            {
                used[match] = true;
                merged[match] = MergeObject((JsonObject)dest[match]!.DeepClone(), element, field.Type, schema);
                order.Add((match, null));
            }
            else if (!added.Any(r => Matches(r, element, field.Keys)))
            {
                var clean = MergeObject([], element, field.Type, schema)!;
                added.Add(clean);
                order.Add((-1, clean));
            }
        }

        if (field.Keys.Length > 1)
        {
            // With several merge keys kustomize puts the patch's new elements first, then the target's in their own order.
            foreach (var element in added)
            {
                result.Add((JsonNode)element);
            }

            for (var i = 0; i < dest.Count; i++)
            {
                if (merged[i] is { } m)
                {
                    result.Add((JsonNode)m);
                }
                else if (!used[i])
                {
                    result.Add(dest[i]!.DeepClone());
                }
            }

            return result;
        }

        foreach (var (index, element) in order)
        {
            if (element is not null)
            {
                result.Add((JsonNode)element);
            }
            else if (merged[index] is { } m)
            {
                result.Add((JsonNode)m);
            }
        }

        for (var i = 0; i < dest.Count; i++)
        {
            if (!used[i])
            {
                result.Add(dest[i]!.DeepClone());
            }
        }

        return result;
    }

    /// <summary>A merging list the target lacks: directives dropped, and elements of a keyed list merged into empty maps (clearing their nulls).</summary>
    private static JsonArray NewList(JsonArray patch, SchemaField field, PatchSchema schema)
    {
        if (field.Keys.Length == 0 || patch.Any(e => e is not JsonObject))
        {
            return CleanList(patch);
        }

        var result = new JsonArray();
        foreach (var element in patch.OfType<JsonObject>())
        {
            if (element["$patch"] is null && MergeObject([], element, field.Type, schema) is { } merged)
            {
                result.Add((JsonNode)merged);
            }
        }

        return result;
    }

    private static bool SameKeys(JsonObject a, JsonObject b, string[] keys) =>
        keys.All(key => (a[key] is { } x ? Transformers.ScalarText(x) : null) == (b[key] is { } y ? Transformers.ScalarText(y) : null));

    private static bool Matches(JsonObject a, JsonObject b, string[] keys)
    {
        var common = false;
        foreach (var key in keys)
        {
            var va = a[key] is { } x ? Transformers.ScalarText(x) : string.Empty;
            var vb = b[key] is { } y ? Transformers.ScalarText(y) : string.Empty;
            if (va == vb)
            {
                common = true;
                continue;
            }

            if (va.Length > 0 && vb.Length > 0)
            {
                return false;
            }
        }

        return common;
    }

    /// <summary>A copy without patch directives.</summary>
    public static JsonObject Clean(JsonObject patch)
    {
        var result = new JsonObject();
        foreach (var (key, value) in patch)
        {
            if (key == "$patch")
            {
                continue;
            }

            result[key] = value switch
            {
                JsonObject o => Clean(o),
                JsonArray a => CleanList(a),
                _ => value?.DeepClone(),
            };
        }

        return result;
    }

    private static JsonArray CleanList(JsonArray list)
    {
        var result = new JsonArray();
        foreach (var item in list)
        {
            if (item is JsonObject o && o["$patch"] is not null)
            {
                continue;
            }

            result.Add(item switch
            {
                JsonObject o2 => Clean(o2),
                JsonArray a => CleanList(a),
                _ => item?.DeepClone(),
            });
        }

        return result;
    }
}
