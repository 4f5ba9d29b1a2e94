namespace Ferry.Core.Processes;

/// <summary>One process to run: the executable, its argument list (never a shell string), and how to run it.</summary>
public sealed record ProcessRequest
{
    /// <summary>Default time limit when a request sets none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The executable: a name looked up on PATH or an absolute path.</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, each passed to the process as-is.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Working directory; null keeps the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Environment entries added to (or, when the value is null, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to standard input, which is then closed; null gives an empty, closed input.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Time limit after which the process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Values (tokens, keys) replaced by <c>***</c> in every message built from this run.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>When true a non-zero exit code throws <see cref="ProcessException"/>; when false it is returned.</summary>
    public bool CheckExitCode { get; init; } = true;

    /// <summary>The command as a person reads it (executable and arguments, secrets redacted), for messages.</summary>
    public string Describe() => Redact(string.Join(' ', new[] { System.IO.Path.GetFileName(FileName) }.Concat(Arguments.Select(Quote))));

    /// <summary>Replaces every secret of this request in <paramref name="text"/> by <c>***</c>.</summary>
    public string Redact(string text)
    {
        foreach (var secret in Secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
