using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>A Spectre console over the invocation's output writer (colour only on a real terminal).</summary>
internal static class CliConsole
{
    /// <summary>Creates a console writing to <paramref name="writer"/>.</summary>
    public static IAnsiConsole Create(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }
}
