using Ferry.Core.Status;
using Ferry.Core.Sync;
using static Ferry.Core.Tests.Sync.SyncCluster;

namespace Ferry.Core.Tests.Sync;

/// <summary>Phases, waves, hooks and prune order against the simulator, with rollouts and Jobs completed as explicit test steps.</summary>
public sealed class SyncWavesTests : IAsyncLifetime
{
    private SyncCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SyncCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task SyncAsync_Waves_NextWaveStartsOnlyWhenPreviousIsHealthy()
    {
        var manifests = Parse(
            ConfigMap("config", "{argocd.argoproj.io/sync-wave: \"-1\"}")
            + Deployment("db", "{argocd.argoproj.io/sync-wave: \"0\"}")
            + Deployment("web", "{argocd.argoproj.io/sync-wave: \"1\"}"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        var wait = await _cluster.WaitForWaitingAsync(sync, "demo/db");

        Assert.NotNull(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "config"));
        Assert.Null(_cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
        Assert.Equal("waiting for 1/1 object(s) of Sync wave 0 to become healthy: Deployment.apps/demo/db (Progressing)", wait.Message);

        _cluster.Server.CompleteRollout("Deployment", "demo", "db");
        var result = await sync;

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Equal(["Namespace/demo", "ConfigMap/config", "Deployment/db", "Deployment/web"], result.Results.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.Equal([0, -1, 0, 1], result.Results.Select(r => r.Wave));
        Assert.Equal(Ferry.Core.Health.HealthStatusCode.Healthy, result.Results.Single(r => r.Name == "db").Health);
    }

    [Fact]
    public async Task SyncAsync_WaveNeverHealthy_TimesOutNamingWhatItWaitedFor()
    {
        var manifests = Parse(Deployment("db") + Deployment("web", "{argocd.argoproj.io/sync-wave: \"1\"}"));

        var result = await _cluster.SyncAsync(_cluster.Request(manifests) with { WaveTimeout = TimeSpan.FromMilliseconds(100) });

        Assert.Equal(OperationPhase.Failed, result.Phase);
        Assert.Contains("waiting for 1/1 object(s) of Sync wave 0 to become healthy: Deployment.apps/demo/db (Progressing)", result.Message);
        Assert.StartsWith("timed out after", result.Message);
        Assert.Null(_cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
    }

    [Fact]
    public async Task SyncAsync_WaveDegraded_FailsAndRunsSyncFailHooks()
    {
        var manifests = Parse(
            Deployment("db")
            + Deployment("web", "{argocd.argoproj.io/sync-wave: \"1\"}")
            + Job("alert", "{argocd.argoproj.io/hook: SyncFail}"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(sync, "demo/db");
        Assert.Null(_cluster.Server.GetObject("batch/v1", "Job", "demo", "alert"));
        _cluster.Server.FailRollout("demo", "db");
        await _cluster.WaitForObjectAsync(sync, "batch/v1", "Job", "alert");
        _cluster.Server.CompleteJob("demo", "alert");
        var result = await sync;

        Assert.Equal(OperationPhase.Failed, result.Phase);
        Assert.StartsWith("Deployment.apps/demo/db is Degraded:", result.Message);
        Assert.EndsWith("; ran 1 SyncFail hook(s)", result.Message);
        Assert.Null(_cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
        Assert.Contains(result.Results, r => r is { Name: "alert", HookPhase: "SyncFail", Action: ResourceAction.Created });
    }

    [Fact]
    public async Task SyncAsync_PreSyncHookFails_StopsWithTheJobsMessageAndAppliesNothingElse()
    {
        var manifests = Parse(Job("migrate", "{argocd.argoproj.io/hook: PreSync}") + Deployment("web"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(sync, "demo/migrate");
        Assert.Null(_cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
        _cluster.Server.FailJob("demo", "migrate", "schema v3 conflicts with v2");
        var result = await sync;

        Assert.Equal(OperationPhase.Failed, result.Phase);
        Assert.True(result.Message == "PreSync hook Job.batch/demo/migrate failed: schema v3 conflicts with v2", result.Message);
        Assert.Null(_cluster.Server.GetObject("apps/v1", "Deployment", "demo", "web"));
        Assert.Contains(result.Results, r => r is { Name: "migrate", HookPhase: "PreSync", Health: Ferry.Core.Health.HealthStatusCode.Degraded, Message: "schema v3 conflicts with v2" });
        // Hooks are neither inventory nor app resources.
        Assert.DoesNotContain(result.Inventory, e => e.Id.Contains("migrate", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Resources, r => r.Name == "migrate");
    }

    [Fact]
    public async Task SyncAsync_HookPhases_RunInOrderAndHookSucceededDeletesTheHook()
    {
        var manifests = Parse(
            Job("migrate", "{argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: HookSucceeded}")
            + Deployment("web")
            + Job("smoke", "{argocd.argoproj.io/hook: PostSync}"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(sync, "demo/migrate");
        _cluster.Server.CompleteJob("demo", "migrate");
        await _cluster.WaitForWaitingAsync(sync, "demo/web");
        Assert.Null(_cluster.Server.GetObject("batch/v1", "Job", "demo", "smoke"));
        _cluster.Server.CompleteRollout("Deployment", "demo", "web");
        await _cluster.WaitForWaitingAsync(sync, "demo/smoke");
        _cluster.Server.CompleteJob("demo", "smoke");
        var result = await sync;

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Equal(["Namespace/demo", "Job/migrate", "Deployment/web", "Job/smoke"], result.Results.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.Null(_cluster.Server.GetObject("batch/v1", "Job", "demo", "migrate"));
        Assert.NotNull(_cluster.Server.GetObject("batch/v1", "Job", "demo", "smoke"));
        Assert.Equal(["demo_web_apps_Deployment"], result.Inventory.Select(e => e.Id));
    }

    [Fact]
    public async Task SyncAsync_ExistingHook_IsDeletedAndRecreatedBeforeHookCreation()
    {
        var manifests = Parse(Job("smoke", "{argocd.argoproj.io/hook: Sync}"));
        var first = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(first, "demo/smoke");
        _cluster.Server.CompleteJob("demo", "smoke");
        Assert.Equal(OperationPhase.Succeeded, (await first).Phase);
        var firstUid = (string?)_cluster.Server.GetObject("batch/v1", "Job", "demo", "smoke")!["metadata"]!["uid"];
        _cluster.Waits.Clear();

        var second = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(second, "demo/smoke");
        var recreated = _cluster.Server.GetObject("batch/v1", "Job", "demo", "smoke")!;
        _cluster.Server.CompleteJob("demo", "smoke");

        Assert.Equal(OperationPhase.Succeeded, (await second).Phase);
        Assert.NotEqual(firstUid, (string?)recreated["metadata"]!["uid"]);
        Assert.Null(recreated["status"]?["succeeded"]);
    }

    [Fact]
    public async Task SyncAsync_HookFailedPolicy_DeletesTheFailedHook()
    {
        var manifests = Parse(Job("migrate", "{argocd.argoproj.io/hook: PreSync, argocd.argoproj.io/hook-delete-policy: HookFailed}"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        await _cluster.WaitForWaitingAsync(sync, "demo/migrate");
        _cluster.Server.FailJob("demo", "migrate", "boom");
        var result = await sync;

        Assert.Equal(OperationPhase.Failed, result.Phase);
        Assert.Null(_cluster.Server.GetObject("batch/v1", "Job", "demo", "migrate"));
        Assert.Contains(result.Results, r => r is { Name: "migrate", Message: "boom; deleted (HookFailed)" });
    }

    [Fact]
    public async Task SyncAsync_GenerateNameHook_IsCreatedWithAServerChosenNameEachSync()
    {
        var manifests = Parse(Job("smoke-", "{argocd.argoproj.io/hook: PostSync}", nameField: "generateName") + ConfigMap("settings"));

        var sync = _cluster.SyncAsync(_cluster.Request(manifests));
        var name = await _cluster.WaitForJobAsync(sync, "smoke-");
        await _cluster.WaitForWaitingAsync(sync, name);
        _cluster.Server.CompleteJob("demo", name);
        var result = await sync;

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.NotEqual("smoke-", name);
        Assert.Contains(result.Results, r => r.Name == name && r.HookPhase == "PostSync");
    }

    [Fact]
    public async Task SyncAsync_SkipAndPostDeleteHooks_AreNeverApplied()
    {
        var manifests = Parse(ConfigMap("skipped", "{argocd.argoproj.io/hook: Skip}") + Job("cleanup", "{argocd.argoproj.io/hook: PostDelete}") + ConfigMap("settings"));

        var result = await _cluster.SyncAsync(_cluster.Request(manifests));

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Null(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "skipped"));
        Assert.Null(_cluster.Server.GetObject("batch/v1", "Job", "demo", "cleanup"));
        Assert.Contains(result.Warnings, w => w.Contains("PostDelete", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_Prune_RunsInReverseWaveOrder()
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(
            ConfigMap("a", "{argocd.argoproj.io/sync-wave: \"0\"}")
            + ConfigMap("b", "{argocd.argoproj.io/sync-wave: \"2\"}")
            + ConfigMap("c", "{argocd.argoproj.io/sync-wave: \"1\"}")
            + ConfigMap("keep"))));
        _cluster.Server.Requests.Clear();

        var result = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("keep")), first.Inventory) with { Prune = true });

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Equal(["b", "c", "a"], result.Results.Where(r => r.Action == ResourceAction.Pruned).Select(r => r.Name));
        Assert.Equal(["b", "c", "a"], _cluster.Server.Requests.Snapshot().Where(r => r.Method == "DELETE").Select(r => r.Path.Split('/')[^1]));
        Assert.Equal(["demo_keep__ConfigMap"], result.Inventory.Select(e => e.Id));
    }

    [Fact]
    public async Task SyncAsync_PruneLast_PrunesOnlyAfterEverythingIsHealthy()
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("old", "{argocd.argoproj.io/sync-options: PruneLast=true}") + ConfigMap("other"))));

        var sync = _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web")), first.Inventory) with { Prune = true });
        await _cluster.WaitForWaitingAsync(sync, "demo/web");

        Assert.NotNull(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "old"));
        Assert.Null(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "other"));
        _cluster.Server.CompleteRollout("Deployment", "demo", "web");
        var result = await sync;

        Assert.Equal(OperationPhase.Succeeded, result.Phase);
        Assert.Null(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "old"));
        Assert.Equal(["Namespace/demo", "Deployment/web", "ConfigMap/other", "ConfigMap/old"], result.Results.Where(r => r.Action != ResourceAction.Unchanged || r.Kind == "Namespace").Select(r => $"{r.Kind}/{r.Name}"));
    }

    [Fact]
    public async Task SyncAsync_AppLevelPruneLast_WaitsForTheLastWave()
    {
        var first = await _cluster.SyncAsync(_cluster.Request(Parse(ConfigMap("old"))));

        var sync = _cluster.SyncAsync(_cluster.Request(Parse(Deployment("web")), first.Inventory) with
        {
            Prune = true,
            Options = SyncOptionSet.Parse(["CreateNamespace=true", "PruneLast=true"]),
        });
        await _cluster.WaitForWaitingAsync(sync, "demo/web");
        Assert.NotNull(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "old"));
        _cluster.Server.CompleteRollout("Deployment", "demo", "web");

        Assert.Equal(OperationPhase.Succeeded, (await sync).Phase);
        Assert.Null(_cluster.Server.GetObject("v1", "ConfigMap", "demo", "old"));
    }
}
