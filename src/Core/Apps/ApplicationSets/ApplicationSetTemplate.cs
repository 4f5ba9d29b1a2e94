using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>Fills an ApplicationSet's template with one parameter set: every string of the template is rendered, then <c>templatePatch</c> is merged over it.</summary>
internal static class ApplicationSetTemplate
{
    /// <summary>The Application document for one parameter set; throws <see cref="ApplicationSetException"/> naming the template field that failed.</summary>
    public static JsonObject Render(ApplicationSet set, JsonObject parameters)
    {
        var template = (JsonObject)set.Template.DeepClone();
        RenderStrings(template, "spec.template", text => set.GoTemplate ? Go(text, parameters, set.MissingKeyError) : Fast(text, parameters));
        if (set.TemplatePatch is { } patch)
        {
            string text;
            try
            {
                text = GoTemplate.Parse(patch).Render(parameters, set.MissingKeyError);
            }
            catch (FormatException ex)
            {
                throw new ApplicationSetException($"spec.templatePatch: {ex.Message}");
            }

            JsonNode? patchDoc;
            try
            {
                patchDoc = YamlReader.ReadOne(text, "templatePatch");
            }
            catch (YamlFormatException ex)
            {
                throw new ApplicationSetException($"spec.templatePatch: the rendered patch is not YAML: line {ex.Line}: {ex.Reason}");
            }

            if (patchDoc is not null and not JsonObject)
            {
                throw new ApplicationSetException("spec.templatePatch: the rendered patch must be a mapping");
            }

            if (patchDoc is JsonObject patchObject)
            {
                MergePatch(template, patchObject);
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "argoproj.io/v1alpha1",
            ["kind"] = "Application",
            ["metadata"] = template["metadata"]?.DeepClone() ?? new JsonObject(),
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private static void RenderStrings(JsonNode? node, string path, Func<string, string> render)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (obj[key] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        obj[key] = Render($"{path}.{key}", v.GetValue<string>(), render);
                    }
                    else
                    {
                        RenderStrings(obj[key], $"{path}.{key}", render);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
                    {
                        array[i] = Render($"{path}[{i}]", v.GetValue<string>(), render);
                    }
                    else
                    {
                        RenderStrings(array[i], $"{path}[{i}]", render);
                    }
                }

                break;
        }
    }

    private static string Render(string path, string text, Func<string, string> render)
    {
        try
        {
            return render(text);
        }
        catch (FormatException ex)
        {
            throw new ApplicationSetException($"{path}: {ex.Message}");
        }
    }

    private static string Go(string text, JsonObject parameters, bool missingKeyError) =>
        text.Contains("{{", StringComparison.Ordinal) ? GoTemplate.Parse(text).Render(parameters, missingKeyError) : text;

    /// <summary>Argo's default syntax (fasttemplate): <c>{{name}}</c> or <c>{{ name }}</c> replaced when the parameter exists, left as written when not.</summary>
    private static string Fast(string text, JsonObject parameters)
    {
        var output = new StringBuilder(text.Length);
        var position = 0;
        while (true)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                output.Append(text, position, text.Length - position);
                return output.ToString();
            }

            output.Append(text, position, open - position);
            var key = text[(open + 2)..close].Trim();
            if (parameters.TryGetPropertyValue(key, out var value))
            {
                output.Append(GoTemplate.Print(value));
            }
            else
            {
                output.Append(text, open, close + 2 - open);
            }

            position = close + 2;
        }
    }

    /// <summary>JSON merge patch (RFC 7386): mappings merge, anything else (lists included) replaces, null removes.</summary>
    private static void MergePatch(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                MergePatch(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
