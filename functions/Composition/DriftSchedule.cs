using System.Globalization;

namespace Ferry.Functions.Composition;

/// <summary>The DriftCheck timer's schedule: the <c>FERRY_DRIFT_SCHEDULE</c> app setting, an NCRONTAB expression with seconds.</summary>
public static class DriftSchedule
{
    /// <summary>The timer trigger's schedule as the host resolves it (an app setting reference).</summary>
    public const string Expression = "%" + AppSettingNames.DriftSchedule + "%";

    /// <summary>The schedule the Azure deployment sets: every 3 minutes (180 s).</summary>
    public const string Default = "0 */3 * * * *";

    /// <summary>
    /// The configured schedule, checked at startup. The host resolves <see cref="Expression"/> from the same setting and would only
    /// mark the function as errored when it is missing, so the worker refuses to start with a message naming the setting.
    /// </summary>
    public static string Require(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        var value = get(AppSettingNames.DriftSchedule)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException(
                $"app setting {AppSettingNames.DriftSchedule} is not set: DriftCheck's timer needs an NCRONTAB schedule with seconds, e.g. \"{Default}\" (every 3 minutes)");
        }

        var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6 && !TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidOperationException(
                $"app setting {AppSettingNames.DriftSchedule} is \"{value}\": expected an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. \"{Default}\"");
        }

        return value;
    }
}
