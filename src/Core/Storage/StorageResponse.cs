using System.Net;
using System.Xml.Linq;

namespace Ferry.Core.Storage;

/// <summary>A buffered answer from the service.</summary>
internal sealed class StorageResponse(HttpStatusCode status, Dictionary<string, string> headers, byte[] body)
{
    /// <summary>Conflict codes that mean "someone else's write or lease won", reported as a precondition failure.</summary>
    private static readonly HashSet<string> PreconditionConflictCodes = new(StringComparer.Ordinal)
    {
        "BlobAlreadyExists", "LeaseAlreadyPresent", "LeaseIdMismatchWithLeaseOperation", "LeaseIsBrokenAndCannotBeRenewed",
        "LeaseIsBreakingAndCannotBeAcquired", "LeaseIsBreakingAndCannotBeChanged", "LeaseNotPresentWithLeaseOperation", "LeaseAlreadyBroken",
    };

    public HttpStatusCode Status { get; } = status;

    public Dictionary<string, string> Headers { get; } = headers;

    public byte[] Body { get; } = body;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string RequiredHeader(StorageRequest request, string name) =>
        Headers.GetValueOrDefault(name) ?? throw new StorageException(request.Subject, (int)Status, null, $"the response has no {name} header");

    /// <summary>The service's error code from the header, or from the XML body when the header is absent.</summary>
    public string? ErrorCode => Header("x-ms-error-code") ?? ReadError().Code;

    /// <summary>The typed failure for this response.</summary>
    public StorageException ToException(StorageRequest request)
    {
        var (bodyCode, message) = ReadError();
        var code = Header("x-ms-error-code") ?? bodyCode;
        var status = (int)Status;
        if (Status == HttpStatusCode.PreconditionFailed || (Status == HttpStatusCode.Conflict && code is not null && PreconditionConflictCodes.Contains(code)))
        {
            return new StoragePreconditionFailedException(request.Subject, status, code, message);
        }

        return new StorageException(request.Subject, status, code, message);
    }

    public StorageResponse EnsureSuccess(StorageRequest request) => IsSuccess ? this : throw ToException(request);

    public XDocument ReadXml(StorageRequest request)
    {
        try
        {
            using var stream = new MemoryStream(Body);
            return XDocument.Load(stream);
        }
        catch (System.Xml.XmlException e)
        {
            throw new StorageException(request.Subject, (int)Status, null, "the response body is not XML", e);
        }
    }

    private (string? Code, string? Message) ReadError()
    {
        if (Body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var stream = new MemoryStream(Body);
            var root = XDocument.Load(stream).Root;

            // Only the first line of <Message>: the rest is request id and time. <AuthenticationErrorDetail> is left out on purpose
            // because it echoes the request's signature.
            var message = root?.Element("Message")?.Value.Split('\n')[0].Trim();
            return (root?.Element("Code")?.Value, message);
        }
        catch (System.Xml.XmlException)
        {
            return (null, null);
        }
    }
}
