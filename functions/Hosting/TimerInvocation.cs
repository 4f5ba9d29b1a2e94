using System.Text.Json;

namespace Ferry.Functions.Hosting;

/// <summary>One timer-triggered invocation: whether it is late and the schedule's last and next occurrences.</summary>
public sealed record TimerInvocation
{
    /// <summary>True when the host runs this occurrence later than scheduled (after a restart or downtime).</summary>
    public bool IsPastDue { get; init; }

    /// <summary>The previous occurrence, when the host recorded one.</summary>
    public DateTimeOffset? Last { get; init; }

    /// <summary>The next occurrence.</summary>
    public DateTimeOffset? Next { get; init; }

    /// <summary>When the host last updated the schedule status.</summary>
    public DateTimeOffset? LastUpdated { get; init; }

    /// <summary>The host's <c>sys</c> block.</summary>
    public InvocationSystemData? Sys { get; init; }

    /// <summary>Reads the timer info bound as <paramref name="bindingName"/> from a host request.</summary>
    public static TimerInvocation FromRequest(InvocationRequest request, string bindingName)
    {
        if (!request.TryGetData(bindingName, out var data))
        {
            throw new InvocationFormatException($"the invocation has no Data.{bindingName} (the timer info)");
        }

        if (data.ValueKind == JsonValueKind.String)
        {
            // Timer info may arrive serialized as a string; read the JSON inside it.
            try
            {
                using var inner = JsonDocument.Parse(data.GetString() ?? string.Empty);
                return Read(inner.RootElement.Clone(), request, bindingName);
            }
            catch (JsonException e)
            {
                throw new InvocationFormatException($"Data.{bindingName} is a string but not timer info JSON", e);
            }
        }

        return Read(data, request, bindingName);
    }

    private static TimerInvocation Read(JsonElement timer, InvocationRequest request, string bindingName)
    {
        if (timer.ValueKind != JsonValueKind.Object)
        {
            throw new InvocationFormatException($"Data.{bindingName} is {timer.ValueKind}, not timer info");
        }

        JsonValues.TryGetProperty(timer, "ScheduleStatus", out var status);
        return new TimerInvocation
        {
            IsPastDue = JsonValues.GetBoolean(timer, "IsPastDue") ?? false,
            Last = JsonValues.GetDateTimeOffset(status, "Last"),
            Next = JsonValues.GetDateTimeOffset(status, "Next"),
            LastUpdated = JsonValues.GetDateTimeOffset(status, "LastUpdated"),
            Sys = InvocationSystemData.FromRequest(request),
        };
    }
}
