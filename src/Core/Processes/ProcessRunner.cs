using System.ComponentModel;
using System.Diagnostics;

namespace Ferry.Core.Processes;

/// <summary>Runs external programs (git, helm) with an argument list, a time limit and captured output.</summary>
public sealed class ProcessRunner(TimeProvider timeProvider)
{
    private const int TailCharacters = 2000;

    /// <summary>A runner on the system clock.</summary>
    public ProcessRunner()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Runs the request to completion; kills the whole process tree on timeout or cancellation.</summary>
    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(request.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (request.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = request.WorkingDirectory;
        }

        foreach (var (name, value) in request.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new ProcessException(request.Describe(), null, false, string.Empty, $"could not start ({request.Redact(ex.Message)})", ex);
        }

        using var timeout = new CancellationTokenSource(request.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderr = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            try
            {
                if (request.StandardInput is not null)
                {
                    await process.StandardInput.WriteAsync(request.StandardInput.AsMemory(), linked.Token).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The process exited without reading its input; its exit code tells the story.
            }

            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            var error = await stderr.ConfigureAwait(false);
            if (request.CheckExitCode && process.ExitCode != 0)
            {
                throw new ProcessException(request.Describe(), process.ExitCode, false, Tail(request, error), $"exited with code {process.ExitCode}");
            }

            return new ProcessResult(process.ExitCode, output, error);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ProcessException(request.Describe(), null, true, string.Empty, $"timed out after {request.Timeout}");
            }

            throw;
        }
    }

    /// <summary>Finds an executable on a PATH-style search list, or null when none of its folders holds it.</summary>
    public static string? FindExecutable(string name, string? searchPath)
    {
        foreach (var folder in (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Tail(ProcessRequest request, string error)
    {
        var trimmed = request.Redact(error).Trim();
        return trimmed.Length <= TailCharacters ? trimmed : "…" + trimmed[^TailCharacters..];
    }
}
