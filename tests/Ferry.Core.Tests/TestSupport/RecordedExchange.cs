using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>Reads one recorded kube-apiserver exchange (<c>exchanges/NNN-name.http</c>) from the shared fixtures.</summary>
internal sealed record RecordedExchange(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Loads the exchange whose file name starts with <paramref name="prefix"/> (e.g. "025").</summary>
    public static RecordedExchange Load(string prefix)
    {
        var directory = SharedFixtures.Path("kube", "exchanges");
        var file = System.IO.Directory.GetFiles(directory, $"{prefix}-*.http").Single();
        var text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        var lines = head.Split('\n');
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')].Trim().ToLowerInvariant(), l => l[(l.IndexOf(':') + 1)..].Trim());
        return new RecordedExchange(status, headers, body);
    }

    /// <summary>The request body recorded beside the exchange, parsed (YAML or JSON).</summary>
    public static JsonObject Request(string prefix)
    {
        var directory = SharedFixtures.Path("kube", "exchanges");
        var file = System.IO.Directory.GetFiles(directory, $"{prefix}-*.request.*").Single();
        return (JsonObject)YamlReader.ReadOne(File.ReadAllText(file), file)!;
    }

    /// <summary>The response body as a JSON object.</summary>
    public JsonObject Json => (JsonObject)JsonNode.Parse(Body)!;
}
