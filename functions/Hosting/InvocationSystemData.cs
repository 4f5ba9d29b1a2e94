using System.Text.Json;

namespace Ferry.Functions.Hosting;

/// <summary>The host's <c>Metadata.sys</c> block: which function ran, when, and a random id for the invocation.</summary>
public sealed record InvocationSystemData
{
    /// <summary>The function (method) name the host invoked.</summary>
    public string? MethodName { get; init; }

    /// <summary>The host's clock when it dispatched the invocation.</summary>
    public DateTimeOffset? UtcNow { get; init; }

    /// <summary>A random GUID per invocation.</summary>
    public string? RandGuid { get; init; }

    /// <summary>Reads <c>Metadata.sys</c>; null when the host did not send it.</summary>
    public static InvocationSystemData? FromRequest(InvocationRequest request)
    {
        if (!request.TryGetMetadata("sys", out var sys) || sys.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new InvocationSystemData
        {
            MethodName = JsonValues.GetString(sys, "MethodName"),
            UtcNow = JsonValues.GetDateTimeOffset(sys, "UtcNow"),
            RandGuid = JsonValues.GetString(sys, "RandGuid"),
        };
    }
}
