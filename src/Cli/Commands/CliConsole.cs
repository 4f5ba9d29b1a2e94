using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>A Spectre console over the invocation's output writer (colour only on a real terminal), and table cells that stay one line.</summary>
internal static partial class CliConsole
{
    /// <summary>The width of tables written to a pipe or a file when <c>COLUMNS</c> does not say: wide enough that no row wraps.</summary>
    public const int UnboundedWidth = 100_000;

    /// <summary>Creates a console writing to <paramref name="writer"/>: a terminal's own width, else <c>COLUMNS</c>, else full-width rows.</summary>
    public static IAnsiConsole Create(TextWriter writer) => Create(writer, Environment.GetEnvironmentVariable);

    /// <summary>Creates a console writing to <paramref name="writer"/>, reading <c>COLUMNS</c> through <paramref name="environment"/>.</summary>
    public static IAnsiConsole Create(TextWriter writer, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var terminal = IsTerminal(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = int.TryParse(environment("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0
                ? columns
                : UnboundedWidth;
        }

        return console;
    }

    /// <summary>Whether <paramref name="writer"/> is the process's standard output and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>Whether <paramref name="writer"/> is the process's standard error and that is a terminal.</summary>
    public static bool IsErrorTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>A table cell from free text (a Git error, a message): line breaks and the blanks around them collapse to one space, markup escaped.</summary>
    public static string Cell(string? text) => Markup.Escape(OneLine(text));

    /// <summary>Free text on one line: line breaks and the blanks around them become one space.</summary>
    public static string OneLine(string? text) => string.IsNullOrEmpty(text) ? string.Empty : LineBreaks().Replace(text, " ").Trim();

    [GeneratedRegex(@"[ \t]*(\r\n|\r|\n)\s*")]
    private static partial Regex LineBreaks();
}
