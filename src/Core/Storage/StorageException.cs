namespace Ferry.Core.Storage;

/// <summary>The storage service refused a request (or never answered); carries the HTTP status and the service's error code, never a key or token.</summary>
public class StorageException(string subject, int status, string? errorCode, string? detail, Exception? inner = null)
    : Exception(Format(subject, status, errorCode, detail), inner)
{
    /// <summary>The method and resource path of the failed request, e.g. <c>PUT /ferry-status/guestbook.json</c>.</summary>
    public string Subject { get; } = subject;

    /// <summary>The HTTP status code, or 0 when no response arrived.</summary>
    public int Status { get; } = status;

    /// <summary>The service's error code (<c>x-ms-error-code</c> or the XML <c>Code</c>), e.g. <c>LeaseIdMissing</c>.</summary>
    public string? ErrorCode { get; } = errorCode;

    private static string Format(string subject, int status, string? errorCode, string? detail)
    {
        var what = status == 0 ? "no response" : errorCode is null ? $"{status}" : $"{status} {errorCode}";
        return string.IsNullOrEmpty(detail) ? $"{subject}: {what}" : $"{subject}: {what}: {detail}";
    }
}
