using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ferry.Core.Apps;

/// <summary>Lines of every field of every document of a YAML/JSON text, keyed by dotted path (<c>spec.source.repoURL</c>, <c>items[0]</c>).</summary>
internal static class YamlLineIndex
{
    /// <summary>One map per non-empty document, in the order <see cref="Yaml.YamlReader.ReadAll"/> returns them.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, int>> Build(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var maps = new List<IReadOnlyDictionary<string, int>>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Tag.IsEmpty: true, Style: ScalarStyle.Plain } scalar && string.IsNullOrEmpty(scalar.Value))
            {
                continue;
            }

            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            Walk(document.RootNode, string.Empty, map);
            maps.Add(map);
        }

        return maps;
    }

    private static void Walk(YamlNode node, string path, Dictionary<string, int> map)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        var child = path.Length == 0 ? name : $"{path}.{name}";
                        map.TryAdd(child, (int)key.Start.Line);
                        Walk(value, child, map);
                    }
                }

                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var child = $"{path}[{i}]";
                    map.TryAdd(child, (int)sequence.Children[i].Start.Line);
                    Walk(sequence.Children[i], child, map);
                }

                break;
        }
    }
}
