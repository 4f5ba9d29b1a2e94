using Ferry.Core.Status;

namespace Ferry.Functions.Web;

/// <summary>Finds one app's status by the name in a URL.</summary>
internal static class StatusLookup
{
    /// <summary>The app's status; null when there is none or the name is not a valid app name.</summary>
    public static async Task<AppStatus?> FindAsync(IStatusStore store, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(name, cancellationToken);
        }
        catch (ArgumentException)
        {
            // Not a valid app name for the store: no such app.
            return null;
        }
    }
}
