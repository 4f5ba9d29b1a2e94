using System.Text.Json.Nodes;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Simulator;

/// <summary>One exchange recorded from a real kube-apiserver (read from the shared fixtures at test time).</summary>
internal sealed record RecordedExchange(int StatusCode, string ContentType, string Body)
{
    /// <summary>The body as JSON (null when it is not JSON).</summary>
    public JsonNode? Json => ContentType.StartsWith("application/json", StringComparison.Ordinal) ? JsonNode.Parse(Body) : null;

    /// <summary>Loads <c>exchanges/&lt;name&gt;.http</c>.</summary>
    public static RecordedExchange Load(string name)
    {
        var text = File.ReadAllText(SharedFixtures.Path("kube", "exchanges", name + ".http")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = text[..split].Split('\n');
        var status = int.Parse(head[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var contentType = head.Skip(1).Select(h => h.Split(':', 2)).First(h => h[0].Equals("content-type", StringComparison.OrdinalIgnoreCase))[1].Trim();
        return new RecordedExchange(status, contentType, text[(split + 2)..]);
    }

    /// <summary>The request body recorded beside an exchange (<c>.request.yaml</c> or <c>.request.json</c>).</summary>
    public static string Request(string name)
    {
        foreach (var extension in new[] { ".request.yaml", ".request.json" })
        {
            var path = SharedFixtures.Path("kube", "exchanges", name + extension);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        throw new FileNotFoundException(name);
    }
}
