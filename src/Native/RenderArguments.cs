namespace Ferry.Native;

/// <summary>
/// The <c>render</c> command lines the native front runs itself: <c>render [folder] [-o|--output yaml|json]</c>, in any order. Any
/// other shape (help, another option, a response file, a second argument, a value out of range) is left to the managed CLI,
/// whose parser has the last word on what such a line means and how its error reads.
/// </summary>
internal sealed record RenderArguments(string Target, string Format)
{
    /// <summary>The render this command line asks for, or null when it is not one of the plain shapes above.</summary>
    public static RenderArguments? TryParse(IReadOnlyList<string> args)
    {
        if (args is not ["render", ..])
        {
            return null;
        }

        string? target = null;
        string? format = null;
        for (var i = 1; i < args.Count; i++)
        {
            var token = args[i];
            if (token is "-o" or "--output")
            {
                if (format is not null || i + 1 == args.Count || args[i + 1] is not ("yaml" or "json"))
                {
                    return null;
                }

                format = args[++i];
            }
            else if (target is not null || token.Length == 0 || token[0] is '-' or '@')
            {
                return null;
            }
            else
            {
                target = token;
            }
        }

        return new RenderArguments(target ?? ".", format ?? "yaml");
    }
}
