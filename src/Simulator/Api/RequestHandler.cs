using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;
using Ferry.Simulator.Discovery;
using Ferry.Simulator.Hosting;
using Ferry.Simulator.Storage;
using Microsoft.AspNetCore.Http;

namespace Ferry.Simulator.Api;

/// <summary>Turns HTTP requests into cluster operations and answers in the real server's wire shapes.</summary>
internal sealed class RequestHandler(Cluster cluster, KubeSimulatorOptions options, RequestLog log, Workloads workloads)
{
    private readonly Lock faultGate = new();
    private readonly List<FaultRule> faults = [];

    /// <summary>The host:port clients reach the server at (for <c>/api</c>).</summary>
    public string ServerAddress { get; set; } = "127.0.0.1:0";

    public void AddFault(FaultRule rule)
    {
        lock (faultGate)
        {
            faults.Add(rule);
        }
    }

    public void ClearFaults()
    {
        lock (faultGate)
        {
            faults.Clear();
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        var path = request.Path.Value ?? "/";
        var query = request.QueryString.Value ?? string.Empty;
        var entry = new RecordedRequest(request.Method, path, query, request.ContentType, options.CaptureRequestBodies ? body : null, 0);
        if (options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(options.Latency, options.TimeProvider, cancellationToken);
        }

        Answer answer;
        try
        {
            answer = Authenticate(request) ?? Fault(entry) ?? Route(request, path, body);
        }
        catch (ApiError error)
        {
            answer = Answer.Json(error.Code, error.Status);
        }

        if (options.LogRequests)
        {
            log.Add(entry with { StatusCode = answer.StatusCode });
        }

        var response = context.Response;
        response.StatusCode = answer.StatusCode;
        response.Headers.CacheControl = "no-cache, private";
        response.ContentType = answer.ContentType;
        if (answer.RetryAfter)
        {
            response.Headers.RetryAfter = "1";
        }

        var bytes = answer.Body;
        if (request.Query["pretty"] == "true" && answer.ContentType == "application/json")
        {
            bytes = Encoding.UTF8.GetBytes(JsonNode.Parse(bytes)!.ToJsonString(JsonText.Indented));
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    private Answer? Authenticate(HttpRequest request)
    {
        if (options.Token is null || request.Path.StartsWithSegments("/healthz") || request.Path.StartsWithSegments("/livez") || request.Path.StartsWithSegments("/readyz"))
        {
            return null;
        }

        var header = request.Headers.Authorization.ToString();
        var expected = Encoding.UTF8.GetBytes("Bearer " + options.Token);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected) ? null : Answer.Json(401, ApiError.Unauthorized().Status);
    }

    private Answer? Fault(RecordedRequest entry)
    {
        FaultRule? hit = null;
        lock (faultGate)
        {
            if (faults.Count == 0)
            {
                return null;
            }

            hit = faults.FirstOrDefault(f => f.TryConsume(entry));
            faults.RemoveAll(f => f.Exhausted);
        }

        if (hit is null)
        {
            return null;
        }

        var message = hit.StatusCode switch
        {
            403 => $"forbidden: User \"system:serviceaccount:ferry:simulator\" cannot {entry.Method.ToLowerInvariant()} path \"{entry.Path}\"",
            429 => "the server has received too many requests and has asked us to try again later",
            503 => "the server is currently unable to handle the request",
            504 => "the server was unable to return a response in the time allotted, but may still be processing the request",
            _ => "an error on the server (\"simulated failure\") has prevented the request from succeeding",
        };
        var status = ApiError.Failure(hit.StatusCode, hit.Reason, message, null).Status;
        return Answer.Json(hit.StatusCode, status) with { RetryAfter = hit.StatusCode is 429 or 503 };
    }

    private Answer Route(HttpRequest request, string path, string body)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length == 0)
        {
            return Answer.PageNotFound;
        }

        switch (segments[0])
        {
            case "version" when segments.Length == 1:
                return Answer.Json(200, Version());
            case "healthz" or "livez" or "readyz" when segments.Length == 1:
                return new Answer(200, "text/plain; charset=utf-8", "ok"u8.ToArray());
            case "api" when segments.Length == 1:
                return Answer.Json(200, ResourceRegistry.ApiVersions(ServerAddress));
            case "api" when segments[1] == "v1":
                return Resource(request, string.Empty, "v1", segments[2..], body);
            case "apis" when segments.Length == 1:
                return Answer.Json(200, cluster.Registry.GroupList());
            case "apis" when segments.Length == 2:
                return cluster.Registry.Group(segments[1]) is { } group ? Answer.Json(200, group) : Answer.PageNotFound;
            case "apis":
                return Resource(request, segments[1], segments[2], segments[3..], body);
            default:
                return Answer.PageNotFound;
        }
    }

    private Answer Resource(HttpRequest request, string group, string version, string[] rest, string body)
    {
        if (!cluster.Registry.Serves(group, version))
        {
            return Answer.PageNotFound;
        }

        if (rest.Length == 0)
        {
            return request.Method == "GET" ? Answer.Json(200, cluster.Registry.ResourceList(group, version)!) : throw ApiError.MethodNotAllowed(request.Method);
        }

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(group.Length == 0 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length > 3)
        {
            throw ApiError.ResourceNotFound();
        }

        var type = cluster.Registry.Find(group, version, rest[0]) ?? throw ApiError.ResourceNotFound();
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if ((type.Namespaced && ns is null && name is not null) || (!type.Namespaced && ns is not null))
        {
            throw ApiError.ResourceNotFound();
        }

        if (subresource is not null && subresource != "status")
        {
            throw ApiError.ResourceNotFound();
        }

        if (subresource == "status" && !type.HasStatusSubresource)
        {
            throw ApiError.ResourceNotFound();
        }

        ns ??= string.Empty;
        var q = request.Query;
        var dryRun = q["dryRun"].Count > 0;
        var manager = q["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            var agent = request.Headers.UserAgent.ToString();
            manager = agent.Length == 0 ? "unknown" : agent.Split('/')[0];
        }

        switch (request.Method)
        {
            case "GET" when name is null:
                return List(type, type.Namespaced && ns.Length > 0 ? ns : type.Namespaced ? null : string.Empty, q["labelSelector"], q["limit"], q["continue"]);
            case "GET":
                return Answer.Object(200, cluster.Get(type, ns, name).Json);
            case "POST" when name is null:
                var created = cluster.Create(type, ns, ParseJson(request.ContentType, body), manager, dryRun);
                AfterWrite(type, created.Namespace, created.Name, dryRun);
                return Answer.Object(201, created.Json);
            case "PUT" when name is not null:
                var updated = cluster.Update(type, ns, name, ParseJson(request.ContentType, body), manager, dryRun, subresource == "status");
                AfterWrite(type, ns, name, dryRun);
                return Answer.Object(200, updated.Json);
            case "PATCH" when name is not null:
                return Patch(request, type, ns, name, subresource, body, dryRun);
            case "DELETE" when name is not null:
                return Delete(request, type, ns, name, body, dryRun);
            default:
                throw ApiError.MethodNotAllowed(request.Method);
        }
    }

    private Answer Patch(HttpRequest request, ResourceType type, string ns, string name, string? subresource, string body, bool dryRun)
    {
        var q = request.Query;
        var contentType = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
        switch (contentType)
        {
            case "application/apply-patch+yaml":
                if (q["fieldManager"].Count == 0 || q["fieldManager"].ToString().Length == 0)
                {
                    throw ApiError.Invalid("PatchOptions.meta.k8s.io", "meta.k8s.io", "PatchOptions", string.Empty, [new Validation.Cause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager")]);
                }

                JsonObject applied;
                try
                {
                    applied = YamlReader.ReadOne(body, "request") as JsonObject ?? throw ApiError.BadRequest("error decoding YAML: the body is not an object");
                }
                catch (YamlFormatException ex)
                {
                    throw ApiError.BadRequest($"error decoding YAML: error converting YAML to JSON: yaml: line {ex.Line}: {ex.Reason}");
                }

                if (subresource is not null)
                {
                    throw ApiError.ResourceNotFound();
                }

                var (stored, created) = cluster.Apply(type, ns, name, applied, q["fieldManager"].ToString(), q["force"] == "true", dryRun, q["fieldValidation"].Count > 0 ? q["fieldValidation"].ToString() : null);
                AfterWrite(type, ns, name, dryRun);
                return Answer.Object(created ? 201 : 200, stored.Json);
            case "application/merge-patch+json" or "application/strategic-merge-patch+json":
                var patch = ParseJson("application/json", body);
                var manager = q["fieldManager"].Count > 0 ? q["fieldManager"].ToString() : (request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent : "unknown");
                var patched = cluster.MergePatch(type, ns, name, patch, manager, dryRun, subresource == "status");
                AfterWrite(type, ns, name, dryRun);
                return Answer.Object(200, patched.Json);
            default:
                throw ApiError.UnsupportedMediaType(contentType);
        }
    }

    private Answer Delete(HttpRequest request, ResourceType type, string ns, string name, string body, bool dryRun)
    {
        var q = request.Query;
        string? propagation = q["propagationPolicy"].Count > 0 ? q["propagationPolicy"].ToString() : null;
        string? uid = null, resourceVersion = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            var options = ParseJson("application/json", body);
            propagation = (string?)options["propagationPolicy"] ?? propagation;
            uid = (string?)options["preconditions"]?["uid"];
            resourceVersion = (string?)options["preconditions"]?["resourceVersion"];
            dryRun |= options["dryRun"] is JsonArray { Count: > 0 };
        }

        var (before, terminating) = cluster.Delete(type, ns, name, propagation, uid, resourceVersion, dryRun);
        if (terminating is not null)
        {
            return Answer.Json(200, terminating);
        }

        var details = ApiError.Details(name, type.Group, type.Plural);
        details["uid"] = before.Uid;
        return Answer.Json(200, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        });
    }

    private Answer List(ResourceType type, string? ns, string? labelSelector, string? limitText, string? continueToken)
    {
        var selector = LabelSelector.Parse(labelSelector);
        var resourceVersion = cluster.Store.CurrentResourceVersion;
        var all = cluster.Store.List(type.Group, type.Plural, ns);
        var start = string.IsNullOrEmpty(continueToken) ? null : ContinueToken.Decode(continueToken);
        var limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var items = new List<StoredObject>();
        string? next = null;
        var remaining = 0;
        foreach (var o in all)
        {
            var key = ns is null && type.Namespaced ? $"{o.Namespace}/{o.Name}" : o.Name;
            if (start is not null && string.CompareOrdinal(key, start) <= 0)
            {
                continue;
            }

            if (!selector.Matches(o.Labels))
            {
                continue;
            }

            if (items.Count < limit)
            {
                items.Add(o);
                next = key;
            }
            else
            {
                remaining++;
            }
        }

        var builder = new MemoryStream();
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (remaining > 0)
        {
            metadata["continue"] = ContinueToken.Encode(resourceVersion, next!);
            if (string.IsNullOrEmpty(labelSelector))
            {
                metadata["remainingItemCount"] = remaining;
            }
        }

        var head = $"{{\"kind\":\"{type.Kind}List\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{metadata.ToJsonString(JsonText.Options)},\"items\":[";
        builder.Write(Encoding.UTF8.GetBytes(head));
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.WriteByte((byte)',');
            }

            builder.Write(items[i].ItemJson);
        }

        builder.Write("]}"u8);
        return Answer.Object(200, builder.ToArray());
    }

    private void AfterWrite(ResourceType type, string ns, string name, bool dryRun)
    {
        if (options.AutoComplete && !dryRun)
        {
            workloads.AutoComplete(type, ns, name);
        }
    }

    private static JsonObject ParseJson(string? contentType, string body)
    {
        try
        {
            var node = contentType?.Contains("yaml", StringComparison.Ordinal) == true ? YamlReader.ReadOne(body, "request") : JsonNode.Parse(body);
            return node as JsonObject ?? throw ApiError.BadRequest("the body of the request is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or YamlFormatException)
        {
            throw ApiError.BadRequest($"couldn't get version/kind; json parse error: {ex.Message}");
        }
    }

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "26",
        ["gitVersion"] = "v1.26.1",
        ["gitCommit"] = "ferry-simulator",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2023-01-18T15:51:24Z",
        ["goVersion"] = "go1.19.5",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    /// <summary>One response: status code, content type and body bytes.</summary>
    private sealed record Answer(int StatusCode, string ContentType, byte[] Body)
    {
        public bool RetryAfter { get; init; }

        public static Answer PageNotFound { get; } = new(404, "text/plain; charset=utf-8", "404 page not found\n"u8.ToArray());

        public static Answer Json(int code, JsonObject body) => new(code, "application/json", Encoding.UTF8.GetBytes(body.ToJsonString(JsonText.Options)));

        public static Answer Object(int code, byte[] json) => new(code, "application/json", json);
    }
}
