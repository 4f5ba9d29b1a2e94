using Ferry.Core.Apps;
using Ferry.Core.Kube;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Http;

namespace Ferry.Functions.Web;

/// <summary>Turns a failure to read the destination cluster into a 502 answer that says why, instead of an unhandled error.</summary>
internal static class ClusterErrors
{
    /// <summary>Runs <paramref name="read"/>; a cluster that cannot be reached, refuses or is not configured answers 502 with its message.</summary>
    public static async Task<IResult> AnswerAsync(Func<Task<IResult>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is KubeUnreachableException or KubeCredentialException or KubeApiException or KubeConfigException or UnknownClusterException
            or UnknownKindException or HttpRequestException)
        {
            return TextResult.Error(StatusCodes.Status502BadGateway, "cluster unavailable", $"could not read the app's cluster: {ex.Message}");
        }
    }
}
