using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Kube;

/// <summary>Runs a kubeconfig <c>exec</c> credential plugin and caches its ExecCredential until <c>expirationTimestamp</c>.</summary>
internal sealed class ExecCredentials(KubeExecConfig exec, KubeConfigCluster cluster, string? caPem, TimeProvider time) : IKubeCredentials
{
    private static readonly TimeSpan PluginTimeout = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _running = new(1, 1);
    private volatile Cached? _cached;

    /// <summary>How many times the plugin ran (tests check the cache with it).</summary>
    public int Runs { get; private set; }

    public async ValueTask<KubeCredential> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_cached) is { } credential)
        {
            return credential;
        }

        // One plugin run at a time per user; concurrent requests wait for it instead of each starting one.
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_cached) is { } again)
            {
                return again;
            }

            var cached = await RunAsync(cancellationToken).ConfigureAwait(false);
            _cached = cached;
            return cached.Credential;
        }
        finally
        {
            _running.Release();
        }
    }

    public bool Invalidate()
    {
        _cached = null;
        return true;
    }

    private KubeCredential? Fresh(Cached? cached) =>
        cached is not null && (cached.ExpiresAt is null || cached.ExpiresAt > time.GetUtcNow()) ? cached.Credential : null;

    private async Task<Cached> RunAsync(CancellationToken cancellationToken)
    {
        var command = exec.Command.Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(exec.Command)
            ? Path.GetFullPath(exec.Command, exec.BaseDirectory)
            : exec.Command;
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in exec.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in exec.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            var hint = string.IsNullOrEmpty(exec.InstallHint) ? string.Empty : $" ({exec.InstallHint.Trim()})";
            throw new KubeCredentialException(exec.Command, $"cannot run the exec credential plugin: {ex.Message}{hint}", ex);
        }

        Runs++;
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PluginTimeout);
        string output;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            // Drain stderr so the plugin cannot block on a full pipe; its text is not repeated anywhere (it may hold secrets).
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            output = await stdout.ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new KubeCredentialException(exec.Command, $"the exec credential plugin did not finish within {PluginTimeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new KubeCredentialException(exec.Command, $"the exec credential plugin exited with code {process.ExitCode}");
        }

        return Parse(output);
    }

    private Cached Parse(string output)
    {
        JsonObject? credential;
        try
        {
            credential = JsonNode.Parse(output) as JsonObject;
        }
        catch (JsonException ex)
        {
            throw new KubeCredentialException(exec.Command, "the exec credential plugin did not print an ExecCredential as JSON", ex);
        }

        if (credential is null || (string?)credential["kind"] != "ExecCredential")
        {
            throw new KubeCredentialException(exec.Command, "the exec credential plugin did not print an ExecCredential");
        }

        if ((string?)credential["apiVersion"] != exec.ApiVersion)
        {
            throw new KubeCredentialException(exec.Command, $"the exec credential plugin answered apiVersion \"{(string?)credential["apiVersion"]}\", expected \"{exec.ApiVersion}\"");
        }

        var status = credential["status"] as JsonObject ?? throw new KubeCredentialException(exec.Command, "the ExecCredential has no status");
        var token = (string?)status["token"];
        var certPem = (string?)status["clientCertificateData"];
        var keyPem = (string?)status["clientKeyData"];
        if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certPem) || string.IsNullOrEmpty(keyPem)))
        {
            throw new KubeCredentialException(exec.Command, "the ExecCredential has neither status.token nor status.clientCertificateData and clientKeyData");
        }

        var certificate = string.IsNullOrEmpty(certPem) || string.IsNullOrEmpty(keyPem)
            ? null
            : KubeConfig.ClientCertificate(certPem, keyPem, exec.Command, "status");
        DateTimeOffset? expires = null;
        if ((string?)status["expirationTimestamp"] is { Length: > 0 } expiry)
        {
            expires = DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new KubeCredentialException(exec.Command, $"status.expirationTimestamp \"{expiry}\" is not an RFC 3339 time");
        }

        return new Cached(new KubeCredential(string.IsNullOrEmpty(token) ? null : token, certificate), expires);
    }

    private string ExecInfo()
    {
        var spec = new JsonObject { ["interactive"] = false };
        if (exec.ProvideClusterInfo)
        {
            var info = new JsonObject { ["server"] = cluster.Server };
            if (caPem is not null)
            {
                info["certificate-authority-data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
            }

            if (cluster.InsecureSkipTlsVerify)
            {
                info["insecure-skip-tls-verify"] = true;
            }

            if (cluster.TlsServerName is { } name)
            {
                info["tls-server-name"] = name;
            }

            spec["cluster"] = info;
        }

        return new JsonObject { ["kind"] = "ExecCredential", ["apiVersion"] = exec.ApiVersion, ["spec"] = spec }.ToJsonString();
    }

    private sealed record Cached(KubeCredential Credential, DateTimeOffset? ExpiresAt);
}
