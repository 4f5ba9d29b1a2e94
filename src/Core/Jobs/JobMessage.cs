using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ferry.Core.Jobs;

/// <summary>
/// The queue message that asks a worker to look at one app (DESIGN.md §3): <c>{"v":1,"kind":…,"app":…,"revision":…,"reason":…,"deliveryId":…,"enqueuedAt":…}</c>;
/// a sweep job names a cluster instead, with <c>"app":"*"</c> and <c>"cluster":…</c>.
/// </summary>
public sealed record JobMessage
{
    /// <summary>The only message version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The message format version (<c>v</c>).</summary>
    public int Version { get; init; } = CurrentVersion;

    /// <summary>Sync or refresh.</summary>
    public required JobKind Kind { get; init; }

    /// <summary>The app name a sweep job carries: every app on its cluster.</summary>
    public const string AllApps = "*";

    /// <summary>The Application's name (<see cref="AllApps"/> for a sweep).</summary>
    public required string App { get; init; }

    /// <summary>The cluster a sweep job compares (a key from <c>IClusterConnector.KeyOf</c>); null for app jobs.</summary>
    public string? Cluster { get; init; }

    /// <summary>The commit a sync job names (a hint; the worker resolves the app's target revision), or the history entry's commit a rollback goes back to.</summary>
    public string? Revision { get; init; }

    /// <summary>Why the job exists.</summary>
    public required JobReason Reason { get; init; }

    /// <summary>The webhook delivery id or another id that identifies the trigger, for de-duplication and tracing.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>The compact JSON form, properties in the documented order, time as RFC 3339 UTC.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("kind", KindName(Kind));
            writer.WriteString("app", App);
            if (Cluster is not null)
            {
                writer.WriteString("cluster", Cluster);
            }
            if (Revision is null)
            {
                writer.WriteNull("revision");
            }
            else
            {
                writer.WriteString("revision", Revision);
            }

            writer.WriteString("reason", ReasonName(Reason));
            writer.WriteString("deliveryId", DeliveryId);
            writer.WriteString("enqueuedAt", EnqueuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads the JSON form; throws <see cref="JobMessageException"/> naming the first bad field.</summary>
    public static JobMessage Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new JobMessageException(null, "is not JSON", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new JobMessageException(null, "is not a JSON object");
            }

            if (!root.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
            {
                throw new JobMessageException("v", "must be a number");
            }

            if (v != CurrentVersion)
            {
                throw new JobMessageException("v", $"is {v.ToString(CultureInfo.InvariantCulture)}; this Ferry reads version {CurrentVersion}");
            }

            var kind = RequiredString(root, "kind") switch
            {
                "sync" => JobKind.Sync,
                "refresh" => JobKind.Refresh,
                "rollback" => JobKind.Rollback,
                "sweep" => JobKind.Sweep,
                _ => throw new JobMessageException("kind", "must be \"sync\", \"refresh\", \"rollback\" or \"sweep\""),
            };
            var cluster = OptionalString(root, "cluster");
            if (kind == JobKind.Sweep && cluster is null)
            {
                throw new JobMessageException("cluster", "must name the cluster a sweep compares");
            }

            var message = new JobMessage
            {
                Version = v,
                Kind = kind,
                Cluster = cluster,
                App = RequiredString(root, "app"),
                Revision = OptionalString(root, "revision"),
                Reason = RequiredString(root, "reason") switch
                {
                    "webhook" => JobReason.Webhook,
                    "drift" => JobReason.Drift,
                    "manual" => JobReason.Manual,
                    _ => throw new JobMessageException("reason", "must be \"webhook\", \"drift\" or \"manual\""),
                },
                DeliveryId = RequiredString(root, "deliveryId"),
                EnqueuedAt = DateTimeOffset.TryParse(RequiredString(root, "enqueuedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? at
                    : throw new JobMessageException("enqueuedAt", "must be an RFC 3339 time"),
            };
            return message is { Kind: JobKind.Rollback, Revision: null }
                ? throw new JobMessageException("revision", "is required for a rollback (the history entry's commit)")
                : message;
        }
    }

    private static string KindName(JobKind kind) => kind switch
    {
        JobKind.Sync => "sync",
        JobKind.Refresh => "refresh",
        JobKind.Rollback => "rollback",
        JobKind.Sweep => "sweep",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string ReasonName(JobReason reason) => reason switch
    {
        JobReason.Webhook => "webhook",
        JobReason.Drift => "drift",
        JobReason.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JobMessageException(name, "must be a non-empty string");

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new JobMessageException(name, "must be a non-empty string or null");
    }
}
