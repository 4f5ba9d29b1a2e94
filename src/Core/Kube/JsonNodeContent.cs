using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>An HTTP body that serializes a JSON node straight onto the connection's stream, without an intermediate string.</summary>
internal sealed class JsonNodeContent : HttpContent
{
    private readonly JsonNode _node;

    public JsonNodeContent(JsonNode node, string mediaType)
    {
        _node = node;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream);
        _node.WriteTo(writer);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
