using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Apply;

/// <summary>One entry of <c>metadata.managedFields</c>, with its fields decoded into a path set.</summary>
internal sealed class ManagedEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public required string ApiVersion { get; set; }

    public required string Time { get; set; }

    public string? Subresource { get; init; }

    public required HashSet<string> Fields { get; set; }

    /// <summary>Whether this entry is the given manager's for the given operation and subresource.</summary>
    public bool Is(string manager, string operation, string? subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    /// <summary>The manager as the real server prints it in conflict messages.</summary>
    public string Display => Operation == "Apply" ? $"\"{Manager}\"" : $"\"{Manager}\" using {ApiVersion}";

    public static List<ManagedEntry> Read(JsonObject? obj)
    {
        var result = new List<ManagedEntry>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray array)
        {
            return result;
        }

        foreach (var item in array.OfType<JsonObject>())
        {
            result.Add(new ManagedEntry
            {
                Manager = (string?)item["manager"] ?? string.Empty,
                Operation = (string?)item["operation"] ?? "Update",
                ApiVersion = (string?)item["apiVersion"] ?? string.Empty,
                Time = (string?)item["time"] ?? string.Empty,
                Subresource = (string?)item["subresource"],
                Fields = FieldPaths.FromFieldsV1(item["fieldsV1"] as JsonObject),
            });
        }

        return result;
    }

    /// <summary>Writes the entries into the object's metadata in the server's order (operation, time, manager); drops empty ones.</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedEntry> entries)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var ordered = entries
            .Where(e => e.Fields.Count > 0)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time, StringComparer.Ordinal)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? string.Empty, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0)
        {
            metadata.Remove("managedFields");
            return;
        }

        var array = new JsonArray();
        foreach (var e in ordered)
        {
            var item = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldPaths.ToFieldsV1(e.Fields),
            };
            if (e.Subresource is not null)
            {
                item["subresource"] = e.Subresource;
            }

            array.Add(item);
        }

        metadata["managedFields"] = array;
    }

    /// <summary>Formats a time as the server does in managedFields (RFC 3339, seconds, UTC).</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
