using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Health;

/// <summary>Loads live objects for health tests: the recorded cluster fixtures and this folder's own testdata.</summary>
internal static class LiveObjects
{
    /// <summary>Every object of a recorded fixture file under kube/objects, with List files flattened.</summary>
    public static IReadOnlyList<JsonObject> Recorded(string file)
    {
        var root = JsonNode.Parse(File.ReadAllText(SharedFixtures.Path("kube", "objects", file)))!.AsObject();
        return Flatten(root);
    }

    /// <summary>The recorded fixture files, ordinally sorted.</summary>
    public static IReadOnlyList<string> RecordedFiles() =>
        [.. Directory.GetFiles(SharedFixtures.Path("kube", "objects"), "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>Every document of a YAML file under this folder's testdata.</summary>
    public static IReadOnlyList<JsonObject> TestData(string file) =>
        [.. YamlReader.ReadAll(File.ReadAllText(Path.Combine(TestDataDirectory(), file)), file).Select(d => d.Root!.AsObject())];

    /// <summary>One object by <c>Kind/name</c> from a list.</summary>
    public static JsonObject Find(IEnumerable<JsonObject> objects, string kindAndName) =>
        objects.Single(o => Id(o) == kindAndName);

    /// <summary>The <c>Kind/name</c> form rows use.</summary>
    public static string Id(JsonObject obj) => $"{(string?)obj["kind"]}/{(string?)obj["metadata"]?["name"]}";

    private static List<JsonObject> Flatten(JsonObject root) =>
        root["items"] is JsonArray items ? [.. items.Select(i => i!.AsObject())] : [root];

    private static string TestDataDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "testdata");
}
