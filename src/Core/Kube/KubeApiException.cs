using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>The API server refused a request; carries the HTTP code and the parsed <c>Status</c> body.</summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the exception from the parts of a <c>Status</c> body.</summary>
    public KubeApiException(string verb, string path, int statusCode, string? reason, string? statusMessage, string? detailsName, string? detailsGroup, string? detailsKind, IReadOnlyList<KubeStatusCause> causes)
        : base(Describe(verb, path, statusCode, reason, statusMessage))
    {
        Verb = verb;
        Path = path;
        StatusCode = statusCode;
        Reason = reason ?? string.Empty;
        StatusMessage = statusMessage ?? string.Empty;
        DetailsName = detailsName;
        DetailsGroup = detailsGroup;
        DetailsKind = detailsKind;
        Causes = causes;
    }

    /// <summary>The HTTP method of the failed request.</summary>
    public string Verb { get; }

    /// <summary>The request path (without query string) that failed.</summary>
    public string Path { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The Status <c>reason</c> (NotFound, Conflict, Invalid, …), empty when the body was not a Status.</summary>
    public string Reason { get; }

    /// <summary>The Status <c>message</c>, or the start of a non-Status body.</summary>
    public string StatusMessage { get; }

    /// <summary>The Status <c>details.name</c>.</summary>
    public string? DetailsName { get; }

    /// <summary>The Status <c>details.group</c>.</summary>
    public string? DetailsGroup { get; }

    /// <summary>The Status <c>details.kind</c>.</summary>
    public string? DetailsKind { get; }

    /// <summary>The Status <c>details.causes</c>, empty when there were none.</summary>
    public IReadOnlyList<KubeStatusCause> Causes { get; }

    /// <summary>True for 404 NotFound.</summary>
    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    /// <summary>True for a 409 that is a Conflict (stale resourceVersion or field manager conflict), not AlreadyExists.</summary>
    public bool IsConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason != "AlreadyExists";

    /// <summary>True for a 409 AlreadyExists.</summary>
    public bool IsAlreadyExists => StatusCode == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    /// <summary>True for 422 Invalid.</summary>
    public bool IsInvalid => StatusCode == (int)HttpStatusCode.UnprocessableEntity || Reason == "Invalid";

    /// <summary>True for 403 Forbidden.</summary>
    public bool IsForbidden => StatusCode == (int)HttpStatusCode.Forbidden;

    /// <summary>True for 401 Unauthorized.</summary>
    public bool IsUnauthorized => StatusCode == (int)HttpStatusCode.Unauthorized;

    /// <summary>True for a 400 BadRequest (malformed body, strict field validation).</summary>
    public bool IsBadRequest => StatusCode == (int)HttpStatusCode.BadRequest;

    /// <summary>For a server-side apply conflict, the fields and the managers that own them, ordered by field.</summary>
    public IReadOnlyList<FieldManagerConflict> FieldManagerConflicts =>
        Causes.Where(c => c.Reason == "FieldManagerConflict" && c.Field is not null)
            .Select(c => new FieldManagerConflict(c.Field!, ManagerOf(c.Message)))
            .OrderBy(c => c.Field, StringComparer.Ordinal)
            .ThenBy(c => c.Manager, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Builds the exception from an error response body: a <c>Status</c> object when it is one, otherwise the body's text.</summary>
    public static KubeApiException FromBody(string verb, string path, int statusCode, string body)
    {
        JsonObject? status = null;
        try
        {
            status = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, "404 page not found"): the text itself is the message.
        }

        if (status is null || (string?)status["kind"] != "Status")
        {
            var text = body.Trim();
            if (text.Length > 300)
            {
                text = text[..300] + "…";
            }

            return new KubeApiException(verb, path, statusCode, null, text.Length == 0 ? null : text, null, null, null, []);
        }

        var details = status["details"] as JsonObject;
        var causes = (details?["causes"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => new KubeStatusCause(Text(c["reason"]), Text(c["message"]), Text(c["field"])))
            .ToArray();
        return new KubeApiException(verb, path, statusCode, Text(status["reason"]), Text(status["message"]), Text(details?["name"]), Text(details?["group"]), Text(details?["kind"]), causes);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string ManagerOf(string? message)
    {
        // The API server writes `conflict with "manager"` optionally followed by ` using apps/v1`.
        if (message is null)
        {
            return string.Empty;
        }

        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        return end > start ? message[(start + 1)..end] : message;
    }

    private static string Describe(string verb, string path, int statusCode, string? reason, string? message)
    {
        var what = string.IsNullOrEmpty(reason) ? $"HTTP {statusCode}" : $"{reason} ({statusCode})";
        return string.IsNullOrEmpty(message) ? $"{verb} {path}: {what}" : $"{verb} {path}: {what}: {message}";
    }
}
