using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// Shows what a long verb is doing (phase, wave, "waiting for 1/3 object(s) …") on stderr: a live status line on a terminal,
/// plain lines otherwise, so CI logs carry no escape codes.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="body"/> with a progress sink whose lines are prefixed with <paramref name="subject"/>.</summary>
    public static async Task<T> RunAsync<T>(TextWriter error, string subject, Func<IProgress<string>, Task<T>> body)
    {
        if (CliConsole.IsErrorTerminal(error))
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            return await console.Status().StartAsync($"{Markup.Escape(subject)}: starting", context =>
                body(new Relay(line => context.Status = $"{Markup.Escape(subject)}: {Markup.Escape(CliConsole.OneLine(line))}")));
        }

        var gate = new Lock();
        return await body(new Relay(line =>
        {
            lock (gate)
            {
                error.WriteLine($"{subject}: {CliConsole.OneLine(line)}");
            }
        }));
    }

    /// <summary>Calls back on the reporting thread, in order (no synchronization context).</summary>
    private sealed class Relay(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
