using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Simulator.Api;

/// <summary>The opaque <c>continue</c> token of paged lists, in the real server's format: base64url of <c>{"v","rv","start"}</c>.</summary>
internal static class ContinueToken
{
    public static string Encode(long resourceVersion, string start)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = resourceVersion, ["start"] = start + "\0" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The key to start after; throws a 400 ApiError when the token is not one of ours.</summary>
    public static string Decode(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - base64.Length % 4) % 4), '=');
            var json = JsonNode.Parse(Convert.FromBase64String(base64));
            var start = (string?)json?["start"];
            if ((string?)json?["v"] != "meta.k8s.io/v1" || start is null || !start.EndsWith('\0'))
            {
                throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return start[..^1];
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw ApiError.BadRequest("continue key is not valid: illegal base64 data");
        }
    }
}
