using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Core.Yaml;

/// <summary>yaml.v3's timestamp resolution (the four layouts it tries) and Go's RFC 3339 text of the result, as kustomize prints a plain timestamp.</summary>
internal static partial class YamlTimestamp
{
    /// <summary>The RFC 3339 text Go's time.Time marshals to, or null when <paramref name="value"/> is not a yaml.v3 timestamp.</summary>
    public static string? Normalize(string value)
    {
        if (value.Length < 8 || !char.IsAsciiDigit(value[0]))
        {
            return null;
        }

        var match = Layouts().Match(value);
        if (!match.Success)
        {
            return null;
        }

        int Number(string group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var (year, month, day) = (Number("year"), Number("month"), Number("day"));
        var (hour, minute, second) = (Number("hour"), Number("minute"), Number("second"));
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year == 0 ? 2000 : year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var text = new StringBuilder(35);
        text.Append(CultureInfo.InvariantCulture, $"{year:0000}-{month:00}-{day:00}T{hour:00}:{minute:00}:{second:00}");
        if (match.Groups["fraction"].Success)
        {
            // Go keeps nine digits of nanoseconds and prints them without trailing zeros.
            var digits = match.Groups["fraction"].Value;
            digits = (digits.Length > 9 ? digits[..9] : digits).TrimEnd('0');
            if (digits.Length > 0)
            {
                text.Append('.').Append(digits);
            }
        }

        var zone = match.Groups["zone"].Value;
        text.Append(zone is "" or "Z" or "+00:00" or "-00:00" ? "Z" : zone);
        return text.ToString();
    }

    // "2006-1-2T15:4:5.999999999Z07:00", the same with 't', "2006-1-2 15:4:5.999999999" and "2006-1-2".
    [GeneratedRegex(@"^(?<year>[0-9]{4})-(?<month>[0-9]{1,2})-(?<day>[0-9]{1,2})(?:[Tt](?<hour>[0-9]{1,2}):(?<minute>[0-9]{1,2}):(?<second>[0-9]{1,2})(?:[.,](?<fraction>[0-9]+))?(?<zone>Z|[-+][0-9]{2}:[0-9]{2})| (?<hour>[0-9]{1,2}):(?<minute>[0-9]{1,2}):(?<second>[0-9]{1,2})(?:[.,](?<fraction>[0-9]+))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Layouts();
}
