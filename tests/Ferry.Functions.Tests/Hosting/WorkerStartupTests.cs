using System.Diagnostics;
using System.Net;
using System.Text;
using Ferry.Core.Tests.TestSupport;
using Ferry.Functions.Composition;
using Ferry.Functions.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Tests.Hosting;

/// <summary>
/// The worker started the way the Functions host starts it (worker.config.json's executable and assembly, the host's command line and app
/// settings as environment): it composes Ferry against Azurite and opens the host's gRPC event stream with its StartStream message. The
/// host binary itself is not installable here, so a loopback HTTP/2 listener stands in for its gRPC endpoint.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerStartupTests(AzuriteFixture azurite) : IDisposable
{
    private const string EventStreamPath = "/AzureFunctionsRpcMessages.FunctionRpc/EventStream";
    private readonly Ferry.Core.Tests.TestSupport.TempDirectory _temp = new();

    [Fact]
    public async Task Worker_StartedWithTheHostsArguments_ConnectsAndSendsStartStreamWithItsWorkerId()
    {
        var firstMessage = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var grpc = await StartGrpcEndpointAsync(firstMessage, release.Task);
        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        using var worker = StartWorker(new Uri(grpc.Urls.Single()), workerId, requestId, withSchedule: true);
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var exited = worker.Process.WaitForExitAsync(limit.Token);
            var first = await Task.WhenAny(firstMessage.Task, exited);
            Assert.True(first == firstMessage.Task, $"the worker exited ({(worker.Process.HasExited ? worker.Process.ExitCode : -1)}) before connecting:\n{worker.Output}");

            // A gRPC frame (flag, big-endian length) holding StreamingMessage{ request_id, start_stream{ worker_id } }.
            var frame = await firstMessage.Task;
            var length = (frame[1] << 24) | (frame[2] << 16) | (frame[3] << 8) | frame[4];
            Assert.Equal(0, frame[0]);
            Assert.Equal(frame.Length - 5, length);
            Assert.Contains(workerId, Encoding.UTF8.GetString(frame, 5, length), StringComparison.Ordinal);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task Worker_WithoutTheDriftSchedule_RefusesToStart_NamingTheSetting()
    {
        using var worker = StartWorker(new Uri("http://127.0.0.1:1/"), Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), withSchedule: false);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        await worker.Process.WaitForExitAsync(limit.Token);

        Assert.NotEqual(0, worker.Process.ExitCode);
        Assert.Contains(AppSettingNames.DriftSchedule, worker.Output, StringComparison.Ordinal);
        Assert.Contains(DriftSchedule.Default, worker.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private WorkerProcess StartWorker(Uri hostUri, string workerId, string requestId, bool withSchedule)
    {
        _temp.Write("apps/app.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: ws-app
            spec:
              source: { repoURL: "https://github.com/acme/none", path: ".", targetRevision: main }
              destination: { server: "https://kubernetes.default.svc", namespace: ws }
            """);
        var output = RepoPaths.FunctionsOutput;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = output, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(output, "Ferry.Functions.dll"));

        // What the host passes a gRPC language worker: both the classic and the functions- prefixed arguments.
        foreach (var argument in (string[])[
            "--host", hostUri.Host, "--port", hostUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", "2147483647", "--functions-uri", hostUri.AbsoluteUri, "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", "2147483647"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment[AppSettingNames.Storage] = azurite.ConnectionString;
        start.Environment[AppSettingNames.Apps] = Path.Combine(_temp.Path, "apps");
        start.Environment[AppSettingNames.State] = Path.Combine(_temp.Path, "state");
        start.Environment.Remove(AppSettingNames.ApplicationInsightsConnectionString);
        if (withSchedule)
        {
            start.Environment[AppSettingNames.DriftSchedule] = DriftSchedule.Default;
        }
        else
        {
            start.Environment.Remove(AppSettingNames.DriftSchedule);
        }

        return new WorkerProcess(Process.Start(start)!);
    }

    private static async Task<WebApplication> StartGrpcEndpointAsync(TaskCompletionSource<byte[]> firstMessage, Task release)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapPost(EventStreamPath, async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.StartAsync();
            var header = new byte[5];
            await context.Request.Body.ReadExactlyAsync(header);
            var length = (header[1] << 24) | (header[2] << 16) | (header[3] << 8) | header[4];
            var frame = new byte[5 + length];
            header.CopyTo(frame, 0);
            await context.Request.Body.ReadExactlyAsync(frame.AsMemory(5, length));
            firstMessage.TrySetResult(frame);
            await release;
        });
        await app.StartAsync();
        return app;
    }

    private sealed class WorkerProcess : IDisposable
    {
        private readonly StringBuilder _output = new();

        public WorkerProcess(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

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

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
