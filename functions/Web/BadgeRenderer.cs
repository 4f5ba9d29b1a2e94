using System.Globalization;
using System.Security;
using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Functions.Web;

/// <summary>Renders a shields-style flat SVG badge, "ferry | Synced · Healthy", coloured by the app's most urgent state.</summary>
internal static class BadgeRenderer
{
    private const string LabelColor = "#555";

    /// <summary>The badge for an app; null renders the grey "not found" badge.</summary>
    public static string Render(AppStatus? app)
    {
        if (app is null)
        {
            return Render("ferry", "not found", BadgeColor.Grey);
        }

        var sync = StatusVisuals.Of(app.SyncStatus).Label;
        var health = StatusVisuals.Of(app.Health).Label;
        return Render("ferry", $"{sync} \u00b7 {health}", ColorOf(app));
    }

    /// <summary>The badge colour: Degraded red, OutOfSync amber, Progressing blue, Suspended purple, Synced and Healthy green, anything unknown grey.</summary>
    public static string ColorOf(AppStatus app)
    {
        if (app.Health == HealthStatusCode.Degraded)
        {
            return BadgeColor.Red;
        }

        if (app.SyncStatus == SyncStatusCode.OutOfSync)
        {
            return BadgeColor.Amber;
        }

        return app.Health switch
        {
            HealthStatusCode.Progressing => BadgeColor.Blue,
            HealthStatusCode.Suspended => BadgeColor.Purple,
            HealthStatusCode.Healthy when app.SyncStatus == SyncStatusCode.Synced => BadgeColor.Green,
            _ => BadgeColor.Grey,
        };
    }

    private static string Render(string label, string message, string color)
    {
        var labelWidth = TextWidth(label) + 10;
        var messageWidth = TextWidth(message) + 10;
        var width = labelWidth + messageWidth;
        var title = Escape($"{label}: {message}");
        var labelText = Escape(label);
        var messageText = Escape(message);
        var labelX = Number(labelWidth / 2.0);
        var messageX = Number(labelWidth + (messageWidth / 2.0));
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">
              <title>{title}</title>
              <linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
              <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>
              <g clip-path="url(#r)">
                <rect width="{labelWidth}" height="20" fill="{LabelColor}"/>
                <rect x="{labelWidth}" width="{messageWidth}" height="20" fill="{color}"/>
                <rect width="{width}" height="20" fill="url(#s)"/>
              </g>
              <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
                <text x="{labelX}" y="15" fill="#010101" fill-opacity=".3">{labelText}</text>
                <text x="{labelX}" y="14">{labelText}</text>
                <text x="{messageX}" y="15" fill="#010101" fill-opacity=".3">{messageText}</text>
                <text x="{messageX}" y="14">{messageText}</text>
              </g>
            </svg>
            """;
    }

    // Verdana 11px advance widths, coarsely bucketed; exact metrics are not worth a font table here.
    private static int TextWidth(string text)
    {
        var width = 0.0;
        foreach (var c in text)
        {
            width += c switch
            {
                'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '|' or '!' or '\'' => 3.5,
                'f' or 't' or 'r' or ' ' or '\u00b7' or '(' or ')' => 4.6,
                'm' or 'w' => 10.0,
                'M' or 'W' => 11.0,
                >= 'A' and <= 'Z' => 7.6,
                _ => 6.6,
            };
        }

        return (int)Math.Ceiling(width);
    }

    private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text);
}
