using System.Text.Json.Nodes;
using Ferry.Core.Apps.ApplicationSets;
using Ferry.Core.Health;
using Ferry.Core.Yaml;

namespace Ferry.Core.Apps;

/// <summary>
/// Loads Argo CD Application and AppProject documents, and the health customizations of an <c>argocd-cm</c> ConfigMap, from a file
/// or a folder (recursively: <c>*.yaml</c>, <c>*.yml</c>, <c>*.json</c>, many documents per file). Documents of other kinds are
/// ignored; any error fails the whole load.
/// </summary>
public sealed class ApplicationCatalogLoader
{
    /// <summary>The API group of Argo CD's kinds.</summary>
    public const string ArgoGroup = "argoproj.io";

    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Loads a catalog; throws <see cref="AppValidationException"/> listing every error with its file, line and field.</summary>
    public async Task<ApplicationCatalog> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        List<(string Full, string Display)> files;
        if (File.Exists(full))
        {
            files = [(full, path)];
        }
        else if (Directory.Exists(full))
        {
            files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Select(f => (f, Path.GetRelativePath(full, f).Replace('\\', '/')))
                .Where(f => !f.Item2.Split('/').Any(part => part.StartsWith('.')))
                .OrderBy(f => f.Item2, StringComparer.Ordinal)
                .ToList();
        }
        else
        {
            throw new AppValidationException([new AppValidationError(path, 0, string.Empty, "no such file or directory")]);
        }

        var sources = new List<(string Text, string Display)>(files.Count);
        foreach (var (file, display) in files)
        {
            sources.Add((await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), display));
        }

        return Load(sources);
    }

    /// <summary>Loads a catalog from texts already in memory, each with the file name to report.</summary>
    public ApplicationCatalog Load(IEnumerable<(string Text, string File)> sources)
    {
        var errors = new List<AppValidationError>();
        var warnings = new List<AppWarning>();
        var applications = new List<Application>();
        var projects = new List<AppProject>();
        var projectLines = new Dictionary<Application, int>(ReferenceEqualityComparer.Instance);
        var customizations = new List<(ResourceCustomizations Value, int Line)>();
        var sets = new List<ApplicationSet>();
        foreach (var (text, file) in sources)
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
                errors.Add(new AppValidationError(file, ex.Line, string.Empty, ex.Reason));
                continue;
            }

            for (var i = 0; i < documents.Count; i++)
            {
                if (documents[i].Root is not JsonObject doc)
                {
                    continue;
                }

                var reader = new DocumentReader(file, documents[i].Line, i < lines.Count ? lines[i] : new Dictionary<string, int>());
                if (ResourceCustomizationsParser.IsArgoSettings(doc))
                {
                    customizations.Add((ResourceCustomizationsParser.Parse(doc, reader), reader.Line));
                    errors.AddRange(reader.Errors);
                    warnings.AddRange(reader.Warnings);
                    continue;
                }

                if (!IsArgoDocument(doc, out var kind))
                {
                    continue;
                }

                if (kind == "ApplicationSet")
                {
                    if (ApplicationSetParser.Parse(doc, reader, i < lines.Count ? lines[i] : new Dictionary<string, int>()) is { } set)
                    {
                        sets.Add(set);
                    }
                }
                else if (kind == "Application")
                {
                    if (ApplicationParser.ParseApplication(doc, reader) is { } application)
                    {
                        applications.Add(application);
                        projectLines[application] = reader.LineOf("spec.project");
                    }
                }
                else if (ApplicationParser.ParseProject(doc, reader) is { } project)
                {
                    projects.Add(project);
                }

                errors.AddRange(reader.Errors);
                warnings.AddRange(reader.Warnings);
            }
        }

        CheckDuplicates(applications, a => a.Name, a => (a.File, a.Line), "application", errors);
        CheckDuplicates(customizations, _ => ResourceCustomizationsParser.ConfigMapName, c => (c.Value.Source ?? string.Empty, c.Line), "ConfigMap", errors);
        CheckDuplicates(projects, p => p.Name, p => (p.File, p.Line), "project", errors);
        CheckDuplicates(sets, s => s.Name, s => (s.File, s.Line), "ApplicationSet", errors);
        if (!projects.Any(p => p.Name == AppProject.DefaultName))
        {
            projects.Add(AppProject.Default);
        }

        foreach (var application in applications)
        {
            if (!projects.Any(p => string.Equals(p.Name, application.Project, StringComparison.Ordinal)))
            {
                errors.Add(new AppValidationError(application.File, projectLines[application], "spec.project", $"project '{application.Project}' is not defined (no AppProject of that name)"));
            }
        }

        if (errors.Count > 0)
        {
            throw new AppValidationException([.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line)]);
        }

        return new ApplicationCatalog
        {
            Applications = [.. applications.OrderBy(a => a.Name, StringComparer.Ordinal)],
            Projects = [.. projects.OrderBy(p => p.Name, StringComparer.Ordinal)],
            Warnings = [.. warnings.OrderBy(w => w.File, StringComparer.Ordinal).ThenBy(w => w.Line)],
            ApplicationSets = [.. sets.OrderBy(s => s.Name, StringComparer.Ordinal)],
            ResourceCustomizations = customizations.Count == 0 ? ResourceCustomizations.None : customizations[0].Value,
        };
    }

    private static bool IsArgoDocument(JsonObject doc, out string kind)
    {
        kind = (doc["kind"] as JsonValue)?.ToString() ?? string.Empty;
        var apiVersion = (doc["apiVersion"] as JsonValue)?.ToString() ?? string.Empty;
        return apiVersion.StartsWith(ArgoGroup + "/", StringComparison.Ordinal) && kind is "Application" or "AppProject" or "ApplicationSet";
    }

    private static void CheckDuplicates<T>(List<T> items, Func<T, string> name, Func<T, (string File, int Line)> where, string what, List<AppValidationError> errors)
    {
        foreach (var group in items.GroupBy(name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = where(group.First());
            foreach (var duplicate in group.Skip(1))
            {
                var (file, line) = where(duplicate);
                errors.Add(new AppValidationError(file, line, "metadata.name", $"duplicate {what} name '{group.Key}' (first defined at {first.File}:{first.Line})"));
                items.Remove(duplicate);
            }
        }
    }
}
