using System.Diagnostics;
using System.Runtime.InteropServices;
using Ferry.Cli.Commands;

namespace Ferry.Native;

/// <summary>
/// The managed CLI (<c>src/Cli</c>) published beside this executable as <c>ferry-managed</c>: every command line but
/// <c>render</c> runs there, with the same arguments, standard streams and exit code.
/// </summary>
internal static partial class ManagedCli
{
    /// <summary>The managed CLI's executable name in the publish folder (without <c>.exe</c>).</summary>
    public const string FileName = "ferry-managed";

    /// <summary>Runs the managed CLI with <paramref name="args"/> and returns its exit code; on Unix the process becomes it and this never returns.</summary>
    public static int Run(string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? FileName + ".exe" : FileName);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"error: {path} is missing: this native `ferry` only renders; every other verb runs in the managed CLI a publish of src/Cli for a runtime places beside it");
            return ExitCodes.CouldNotRun;
        }

        return OperatingSystem.IsWindows() ? RunChild(path, args) : Exec(path, args);
    }

    /// <summary>
    /// Replaces this process with the managed CLI (execv): same process id, inherited descriptors, signals such as Ctrl-C go
    /// straight to it, and its exit code is the process's. Returns only when the exec itself fails.
    /// </summary>
    private static int Exec(string path, string[] args)
    {
        var argv = new nint[args.Length + 2];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8(path);
            for (var i = 0; i < args.Length; i++)
            {
                argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
            }

            // argv ends with a null pointer, as execv requires.
            Execv(argv[0], argv);
            Console.Error.WriteLine($"error: could not start {path}: {Marshal.GetLastPInvokeErrorMessage()}");
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            foreach (var pointer in argv)
            {
                Marshal.FreeCoTaskMem(pointer);
            }
        }
    }

    /// <summary>Windows has no exec: the managed CLI runs as a child sharing the console, and this process waits and passes its exit code on.</summary>
    private static int RunChild(string path, string[] args)
    {
        // Ctrl-C reaches every process on the console; the child decides what it means, this one only waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var child = Process.Start(new ProcessStartInfo(path, args) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {path}");
        child.WaitForExit();
        return child.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true)]
    private static partial int Execv(nint path, nint[] argv);
}
