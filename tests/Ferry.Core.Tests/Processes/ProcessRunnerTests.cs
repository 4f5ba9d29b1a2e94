using Ferry.Core.Processes;

namespace Ferry.Core.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner runner = new();

    [Fact]
    public async Task RunAsync_Arguments_PassedVerbatimWithoutShell()
    {
        var result = await runner.RunAsync(new ProcessRequest { FileName = "printf", Arguments = ["%s|", "a b", "$HOME", "*"] }, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|*|", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_StandardInputAndEnvironment_ReachTheProcess()
    {
        var result = await runner.RunAsync(
            new ProcessRequest
            {
                FileName = "sh",
                Arguments = ["-c", "cat; printf '%s' \"$FERRY_TEST_VALUE\""],
                StandardInput = "from stdin\n",
                Environment = new Dictionary<string, string?> { ["FERRY_TEST_VALUE"] = "from env" },
            },
            CancellationToken.None);

        Assert.Equal("from stdin\nfrom env", result.StandardOutput);
    }

    [Fact]
    public async Task RunAsync_WorkingDirectory_IsUsed()
    {
        var dir = Directory.CreateTempSubdirectory("ferry-proc-").FullName;
        try
        {
            var result = await runner.RunAsync(new ProcessRequest { FileName = "pwd", WorkingDirectory = dir }, CancellationToken.None);
            Assert.Equal(Path.GetFullPath(dir), result.StandardOutput.Trim());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_ThrowsWithCommandExitCodeAndRedactedStderr()
    {
        var request = new ProcessRequest
        {
            FileName = "sh",
            Arguments = ["-c", "echo \"denied for s3cr3t-token\" >&2; exit 3"],
            Secrets = ["s3cr3t-token"],
        };

        var ex = await Assert.ThrowsAsync<ProcessException>(() => runner.RunAsync(request, CancellationToken.None));

        Assert.Equal(3, ex.ExitCode);
        Assert.False(ex.TimedOut);
        Assert.Contains("exited with code 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("denied for ***", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("sh -c", ex.Command, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token", ex.Command, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NonZeroExitUnchecked_ReturnsResult()
    {
        var result = await runner.RunAsync(new ProcessRequest { FileName = "sh", Arguments = ["-c", "exit 7"], CheckExitCode = false }, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_Timeout_KillsTreeAndThrowsTimedOut()
    {
        var dir = Directory.CreateTempSubdirectory("ferry-proc-").FullName;
        var pidFile = Path.Combine(dir, "grandchild.pid");
        try
        {
            // The grandchild never ends by itself, so only the time limit ends the run; its pid, written long before
            // the limit, shows whether the tree kill reached it. Nothing here depends on how fast the machine is.
            var request = new ProcessRequest
            {
                FileName = "sh",
                Arguments = ["-c", $"sleep 600 & echo $! > '{pidFile}'; wait"],
                Timeout = TimeSpan.FromSeconds(5),
            };

            var ex = await Assert.ThrowsAsync<ProcessException>(() => runner.RunAsync(request, CancellationToken.None));

            Assert.True(ex.TimedOut);
            Assert.Null(ex.ExitCode);
            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await EndsAsync(grandchild), $"grandchild {grandchild} still runs after the tree kill");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Waits until a killed process is gone or a zombie; SIGKILL is delivered at once, the kernel's teardown may lag.</summary>
    private static async Task<bool> EndsAsync(int pid)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!giveUp.IsCancellationRequested)
        {
            var stat = $"/proc/{pid}/stat";
            string? state = null;
            try
            {
                var text = File.ReadAllText(stat);
                state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            if (state is null or "Z" or "X")
            {
                return true;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return false;
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        var task = runner.RunAsync(new ProcessRequest { FileName = "sleep", Arguments = ["30"] }, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task RunAsync_MissingExecutable_ThrowsCouldNotStart()
    {
        var ex = await Assert.ThrowsAsync<ProcessException>(
            () => runner.RunAsync(new ProcessRequest { FileName = "ferry-no-such-program" }, CancellationToken.None));

        Assert.Contains("could not start", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ExitCode);
    }

    [Fact]
    public void FindExecutable_OnSearchPath_FindsItElseNull()
    {
        Assert.NotNull(ProcessRunner.FindExecutable("sh", Environment.GetEnvironmentVariable("PATH")));
        Assert.Null(ProcessRunner.FindExecutable("ferry-no-such-program", Environment.GetEnvironmentVariable("PATH")));
    }
}
