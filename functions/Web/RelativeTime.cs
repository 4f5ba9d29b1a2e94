using System.Globalization;

namespace Ferry.Functions.Web;

/// <summary>Formats times for people: "3 min ago" next to an absolute UTC time.</summary>
internal static class RelativeTime
{
    public static string Format(DateTimeOffset time, DateTimeOffset now)
    {
        var elapsed = now - time;
        if (elapsed < TimeSpan.FromSeconds(45))
        {
            return "just now";
        }

        if (elapsed < TimeSpan.FromMinutes(60))
        {
            return $"{Math.Max(1, (int)Math.Round(elapsed.TotalMinutes))} min ago";
        }

        if (elapsed < TimeSpan.FromHours(24))
        {
            return $"{(int)elapsed.TotalHours} h ago";
        }

        return $"{(int)elapsed.TotalDays} d ago";
    }

    public static string Absolute(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
