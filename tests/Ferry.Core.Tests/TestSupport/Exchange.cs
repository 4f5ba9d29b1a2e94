using System.Text.RegularExpressions;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>One recorded kube-apiserver exchange from <c>shared/fixtures/kube/exchanges</c>: status, headers, body, the request it answered.</summary>
internal sealed partial record Exchange(string Name, int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body, string RequestMethod, string RequestPath, string? RequestBodyFile)
{
    /// <summary>Loads <c>NNN-name.http</c>, its request line from INDEX.md and the request body file beside it, if any.</summary>
    public static Exchange Load(string name)
    {
        var directory = SharedFixtures.Path("kube", "exchanges");
        var text = File.ReadAllText(Path.Combine(directory, name + ".http")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = (split < 0 ? text : text[..split]).Split('\n');
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        var status = int.Parse(head[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Name: parts[0].Trim(), Value: parts[1].Trim()))
            .Where(h => !h.Name.Equals("content-length", StringComparison.OrdinalIgnoreCase) && !h.Name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
            .ToArray();

        var index = File.ReadAllLines(Path.Combine(directory, "INDEX.md"));
        var row = index.First(line => line.Contains($"| {name}.http |", StringComparison.Ordinal));
        var request = RequestPattern().Match(row);
        var requestBody = Directory.GetFiles(directory, name + ".request.*").SingleOrDefault();
        return new Exchange(name, status, headers, body, request.Groups["method"].Value, request.Groups["path"].Value, requestBody);
    }

    [GeneratedRegex(@"`(?<method>[A-Z]+) (?<path>[^`]+)`")]
    private static partial Regex RequestPattern();
}
