using System.Runtime.InteropServices;

namespace Ferry.Core.Git;

/// <summary>
/// libgit2's process-wide network timeouts (connect, and each read or write), which LibGit2Sharp does not expose: without them a
/// silent server holds a fetch until the operating system gives up. Set once, on the platforms where the variadic
/// <c>git_libgit2_opts</c> can be called like a fixed-argument function (x64 and arm64 Linux).
/// </summary>
internal static class LibGit2Timeouts
{
    // git_libgit2_opt_t values (libgit2 1.7+).
    private const int SetServerConnectTimeout = 39;
    private const int SetServerTimeout = 41;

    private static readonly Lazy<bool> Applied = new(Apply);

    /// <summary>Sets the timeouts the first time it is called; true when they are in force.</summary>
    public static bool Ensure() => Applied.Value;

    private static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return false;
        }

        // Loads the native library through LibGit2Sharp's own resolver first.
        _ = LibGit2Sharp.GlobalSettings.Version;
        try
        {
            return SetOption(SetServerConnectTimeout, 30_000) == 0 && SetOption(SetServerTimeout, 60_000) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // The library name LibGit2Sharp.NativeBinaries 2.0.324 ships; DllImport keeps the call free of unsafe code.
    [DllImport("libgit2-5853918", EntryPoint = "git_libgit2_opts")]
    private static extern int SetOption(int option, int value);
}
