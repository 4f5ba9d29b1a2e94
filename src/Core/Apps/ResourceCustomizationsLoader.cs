using System.Text.Json.Nodes;
using Ferry.Core.Health;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps;

/// <summary>Loads Lua health customizations from a file holding Argo CD's <c>argocd-cm</c> ConfigMap (the <c>FERRY_RESOURCE_CUSTOMIZATIONS</c> setting).</summary>
public static class ResourceCustomizationsLoader
{
    /// <summary>The setting naming the file.</summary>
    public const string SettingName = "FERRY_RESOURCE_CUSTOMIZATIONS";

    /// <summary>The customizations in the file and the warnings reading it produced; throws <see cref="AppValidationException"/> naming file, line and field.</summary>
    public static async Task<(ResourceCustomizations Customizations, IReadOnlyList<AppWarning> Warnings)> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AppValidationException([new AppValidationError(path, 0, string.Empty, $"cannot read the resource customizations file: {ex.Message}")]);
        }

        return Load(text, path);
    }

    /// <summary>The customizations of a text already read; <paramref name="file"/> is the name errors carry.</summary>
    public static (ResourceCustomizations Customizations, IReadOnlyList<AppWarning> Warnings) Load(string text, string file)
    {
        IReadOnlyList<YamlDocument> documents;
        IReadOnlyList<IReadOnlyDictionary<string, int>> lines;
        try
        {
            documents = YamlReader.ReadAll(text, file);
            lines = YamlLineIndex.Build(text);
        }
        catch (YamlFormatException ex)
        {
            throw new AppValidationException([new AppValidationError(file, ex.Line, string.Empty, ex.Reason)]);
        }

        var settings = documents.Select((d, i) => (d, i)).Where(x => x.d.Root is JsonObject doc && ResourceCustomizationsParser.IsArgoSettings(doc)).ToList();
        if (settings.Count != 1)
        {
            var line = settings.Count == 0 ? 1 : settings[1].d.Line;
            throw new AppValidationException([new AppValidationError(file, line, string.Empty,
                $"expected exactly one ConfigMap named {ResourceCustomizationsParser.ConfigMapName} (apiVersion v1), found {settings.Count}")]);
        }

        var (document, index) = settings[0];
        var reader = new DocumentReader(file, document.Line, index < lines.Count ? lines[index] : new Dictionary<string, int>());
        var customizations = ResourceCustomizationsParser.Parse((JsonObject)document.Root!, reader);
        if (reader.Errors.Count > 0)
        {
            throw new AppValidationException(reader.Errors);
        }

        return (customizations, reader.Warnings);
    }
}
