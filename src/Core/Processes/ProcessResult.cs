namespace Ferry.Core.Processes;

/// <summary>What a finished process left behind: its exit code and captured output.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
