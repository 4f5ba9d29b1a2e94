namespace Ferry.Core.Status;

/// <summary>Checks an app name before it becomes part of a file or blob name, so no name can leave the store.</summary>
internal static class AppName
{
    /// <summary>Returns the name when it is safe as a path segment, else throws.</summary>
    public static string Validate(string app)
    {
        if (app.Length == 0 || app.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')) || app.StartsWith('.'))
        {
            throw new ArgumentException($"'{app}' is not a valid app name", nameof(app));
        }

        return app;
    }
}
