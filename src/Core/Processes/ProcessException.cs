namespace Ferry.Core.Processes;

/// <summary>A process could not start, exited non-zero or ran out of time; the message names the command, never a secret.</summary>
public sealed class ProcessException(string command, int? exitCode, bool timedOut, string standardErrorTail, string reason, Exception? inner = null)
    : Exception($"{command}: {reason}" + (standardErrorTail.Length > 0 ? $": {standardErrorTail}" : string.Empty), inner)
{
    /// <summary>The command line (redacted).</summary>
    public string Command { get; } = command;

    /// <summary>The exit code, or null when the process did not start or was killed.</summary>
    public int? ExitCode { get; } = exitCode;

    /// <summary>True when the time limit killed the process.</summary>
    public bool TimedOut { get; } = timedOut;

    /// <summary>The last lines of standard error (redacted).</summary>
    public string StandardErrorTail { get; } = standardErrorTail;

    /// <summary>What went wrong, without the command or the error output.</summary>
    public string Reason { get; } = reason;
}
