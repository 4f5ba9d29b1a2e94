namespace Ferry.Cli.Commands;

/// <summary>The exit codes of every verb, so a CI gate can tell drift from a typo.</summary>
internal static class ExitCodes
{
    /// <summary>Everything went as asked: in sync, the operation succeeded, the check passed.</summary>
    public const int Ok = 0;

    /// <summary>The verb ran and found drift, or the operation it ran failed.</summary>
    public const int Failed = 1;

    /// <summary>The verb could not run: a usage error, bad configuration (an invalid catalog, clusters file, kubeconfig or credentials), an unknown app.</summary>
    public const int CouldNotRun = 2;
}
