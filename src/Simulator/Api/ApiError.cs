using System.Text.Json.Nodes;
using Ferry.Simulator.Apply;
using Ferry.Simulator.Discovery;
using Ferry.Simulator.Validation;

namespace Ferry.Simulator.Api;

/// <summary>A failed request, answered with a <c>Status</c> body shaped like the real server's.</summary>
internal sealed class ApiError(int code, JsonObject status) : Exception((string?)status["message"])
{
    public int Code { get; } = code;

    public JsonObject Status { get; } = status;

    public static ApiError NotFound(ResourceType type, string name) =>
        Failure(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", Details(name, type.Group, type.Plural));

    public static ApiError NamespaceNotFound(string ns) =>
        Failure(404, "NotFound", $"namespaces \"{ns}\" not found", Details(ns, string.Empty, "namespaces"));

    public static ApiError ResourceNotFound() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        Failure(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", Details(name, type.Group, type.Plural));

    public static ApiError StaleUpdate(ResourceType type, string name) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", Details(name, type.Group, type.Plural));

    public static ApiError PreconditionFailed(ResourceType type, string name, string message) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": {message}", Details(name, type.Group, type.Plural));

    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<Cause> causes)
    {
        var details = Details(name, type.Group, type.Kind);
        details["causes"] = CauseArray(causes);
        return Failure(422, "Invalid", Validator.Message(type, name, causes), details);
    }

    public static ApiError Invalid(string qualifiedKind, string group, string kind, string name, IReadOnlyList<Cause> causes)
    {
        var details = Details(name, group, kind);
        details["causes"] = CauseArray(causes);
        var parts = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        return Failure(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {(parts.Count == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]")}", details);
    }

    public static ApiError Conflicts(IReadOnlyList<ApplyConflict> conflicts)
    {
        var causes = new JsonArray();
        foreach (var c in conflicts)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = $"conflict with {c.Entry.Display}", ["field"] = FieldPaths.Display(c.Path) });
        }

        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Entry.Display}: {FieldPaths.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in conflicts.GroupBy(c => c.Entry.Display).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => $"- {FieldPaths.Display(c.Path)}"));
            }

            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return Failure(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    public static ApiError BadRequest(string message) => Failure(400, "BadRequest", message, null);

    public static ApiError Internal(string message) => Failure(500, null, message, null);

    public static ApiError Unauthorized() => Failure(401, "Unauthorized", "Unauthorized", null);

    public static ApiError MethodNotAllowed(string method) =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiError UnsupportedMediaType(string contentType) =>
        Failure(415, "UnsupportedMediaType", $"the body of the request was in an unknown format ({contentType}) - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", null);

    /// <summary>A Status body: kind, apiVersion, metadata, status, message, reason, details, code (omitting the empty ones, as the server does).</summary>
    public static ApiError Failure(int code, string? reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason is not null)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new ApiError(code, status);
    }

    /// <summary>Status details: name, group (omitted for the core group) and kind.</summary>
    public static JsonObject Details(string? name, string group, string kind)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        return details;
    }

    private static JsonArray CauseArray(IReadOnlyList<Cause> causes)
    {
        var array = new JsonArray();
        foreach (var c in causes)
        {
            array.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field });
        }

        return array;
    }
}
