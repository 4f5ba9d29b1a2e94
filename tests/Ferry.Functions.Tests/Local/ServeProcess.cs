using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Functions.Tests.Local;

/// <summary>`ferry serve` as a real child process, stopped with SIGINT like Ctrl-C.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts `ferry serve` on a port the kernel picks (<c>--port 0</c>), read back from what it prints.</summary>
    public static Task<ServeProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        StartVerbAsync(["serve", "--port", "0", .. arguments], environment);

    /// <summary>Starts `ferry` with any verb that listens on port 0 and prints "listening on &lt;url&gt;"; returns once it listens.</summary>
    public static async Task<ServeProcess> StartVerbAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var ferry = typeof(Ferry.Cli.Commands.FerryCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ferry);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start ferry");
        var serve = new ServeProcess(process);
        var exited = process.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await Task.WhenAny(serve._listening.Task, exited, Task.Delay(Timeout.Infinite, timeout.Token));
        if (first == serve._listening.Task)
        {
            serve.BaseAddress = await serve._listening.Task;
            return serve;
        }

        if (first == exited)
        {
            throw new InvalidOperationException($"ferry exited with {process.ExitCode} before listening:\n{serve.Output}");
        }

        throw new TimeoutException($"ferry did not start listening:\n{serve.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Ctrl-C: the host finishes the job in hand and stops.
            _ = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningOn().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"listening on (http://[^\s;]+)")]
    private static partial Regex ListeningOn();
}
