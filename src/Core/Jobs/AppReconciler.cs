using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Apps;
using Ferry.Core.Charts;
using Ferry.Core.Diff;
using Ferry.Core.Git;
using Ferry.Core.Health;
using Ferry.Core.Kube;
using Ferry.Core.Render;
using Ferry.Core.Resources;
using Ferry.Core.Status;
using Ferry.Core.Sync;
using Ferry.Core.Yaml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Core.Jobs;

/// <summary>
/// Ferry's pipeline for one app, top to bottom: resolve the revision → fetch it → render → reconcile against the live
/// cluster (plan, dry-run, apply, prune, health) → record the status. Level-triggered and idempotent.
/// </summary>
public sealed partial class AppReconciler(
    ICatalogProvider catalogs,
    GitRepositoryCache git,
    IRenderer renderer,
    IClusterConnector clusters,
    IStatusStore store,
    AppReconcilerOptions? options = null,
    TimeProvider? time = null,
    ILogger<AppReconciler>? logger = null,
    IFerryEvents? events = null,
    ChartCache? charts = null)
{
    /// <summary>The condition type that says a sync window held or refused a sync.</summary>
    public const string SyncWindowCondition = "SyncWindowBlocked";

    /// <summary>The reason a rollback is recorded with; such a request must name a revision from the app's history.</summary>
    public const string RollbackReason = "rollback";

    private readonly IFerryEvents _events = events ?? FerryEvents.None;
    private readonly AppReconcilerOptions _options = options ?? new AppReconcilerOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly RevisionResolver _revisions = new(git);

    /// <summary>Reconciles one app as the request says.</summary>
    public async Task<ReconcileOutcome> ReconcileAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetAsync(cancellationToken);
        var app = catalog.FindApplication(request.App);
        if (app is null)
        {
            return new ReconcileOutcome { Summary = $"app '{request.App}' is not in the catalog; nothing to do" };
        }

        // A sweep only compares and never mutates the cluster: it takes the app's lease only when it has something to write.
        var sweep = request.Sweep;
        await using var lease = sweep is null ? await AcquireLeaseAsync(request, cancellationToken) : null;
        if (lease is null && sweep is null)
        {
            LogBusy(_logger, app.Name);
            return new ReconcileOutcome { Completed = false, RetryAfter = _options.BusyRetryDelay, Summary = $"app '{app.Name}' is being synced by another worker; retry later" };
        }

        var stored = await store.ReadAsync(app.Name, cancellationToken);
        var previous = stored?.Status;
        if (request.Reason == RollbackReason && RollbackRefusal(app) is { } refusal)
        {
            LogWindowBlocked(_logger, app.Name, refusal);
            return new ReconcileOutcome { Summary = $"{app.Name}: {refusal}" };
        }

        var version = new StatusVersion { Value = stored?.Version };
        var started = _time.GetUtcNow();
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        string? revision = request.Revision;
        string? clusterName = null;
        var applying = false;
        var waiting = new string?[1];
        try
        {
            var policy = new ProjectPolicy(catalog.ProjectOf(app));
            var windows = SyncWindowPolicy.Evaluate(catalog.ProjectOf(app), app, _time.GetUtcNow());
            if (policy.CheckApplication(app) is { } appViolation)
            {
                throw new SyncPlanException(appViolation.ToString());
            }

            RenderResult rendered;
            IReadOnlyList<string> revisions = [];
            if (app.Sources.Count == 0 && app.Source.ChartLocation is { } chart)
            {
                // resolve + fetch: a chart's version (a range resolves again on every refresh) pulled from its repository or registry
                request.Progress?.Report($"pulling chart {app.Source.Chart ?? app.Source.RepoUrl} {app.Source.TargetRevision}");
                using var pulled = await PullChartAsync(app.Source, chart, request.Revision, stages, clock, cancellationToken);
                revision = pulled.Chart.Version;
                rendered = await renderer.RenderAsync(ChartRenderRequest(app, app.Source, pulled.Path, new Dictionary<string, string>(StringComparer.Ordinal)), cancellationToken);
                stages["render"] = Lap(clock);
            }
            else if (app.Sources.Count == 0)
            {
                // resolve
                request.Progress?.Report($"resolving {app.Source.TargetRevision} of {app.Source.RepoUrl}");
                // The app's own target decides; a job's revision is only a hint, so an older or unknown commit named by a late webhook is never deployed.
                revision ??= await ResolveAsync(app.Source, request, previous, cancellationToken);
                if (request.RevisionHint is { } hint && !string.Equals(hint, revision, StringComparison.OrdinalIgnoreCase))
                {
                    LogHintIgnored(_logger, app.Name, hint, revision);
                }

                stages["resolve"] = Lap(clock);

                // fetch
                request.Progress?.Report($"fetching {Short(revision)}");
                using (var checkout = await git.CheckoutAsync(app.Source.RepoUrl, revision, cancellationToken))
                {
                    stages["fetch"] = Lap(clock);

                    // render
                    request.Progress?.Report($"rendering {app.Source.Path}");
                    // A chart sees the destination cluster's version and APIs, as under Argo CD (read only when a chart is rendered).
                    var renderRequest = app.ToRenderRequest(checkout.Path) with
                    {
                        Capabilities = CapabilitiesOf(app),
                        Charts = Charts,
                    };
                    rendered = await renderer.RenderAsync(renderRequest, cancellationToken);
                    stages["render"] = Lap(clock);
                }
            }
            else
            {
                request.Progress?.Report($"resolving, fetching and rendering {app.Sources.Count} sources");
                (rendered, revisions) = await RenderSourcesAsync(app, request.Revision, stages, clock, cancellationToken);
                revision = string.Join(',', revisions);
            }

            // reconcile: plan, dry-run, apply, prune, health
            var cluster = await clusters.ConnectAsync(app.Destination, cancellationToken);
            clusterName = cluster.DisplayName;
            request.Progress?.Report($"comparing {rendered.Manifests.Count} object(s) with {clusterName}");
            var engine = new SyncEngine(cluster.Client, HealthAssessor.With(_options.ResourceCustomizations.Merge(catalog.ResourceCustomizations)), _time);
            var automated = app.SyncPolicy?.Automated;
            var syncRequest = new SyncRequest
            {
                AppName = app.Name,
                Manifests = rendered.Manifests,
                Inventory = previous?.Inventory ?? [],
                DestinationNamespace = app.Destination.Namespace,
                Prune = request.Prune ?? automated?.Prune ?? false,
                AllowEmpty = automated?.AllowEmpty ?? false,
                Options = SyncOptionSet.Parse(app.SyncPolicy?.SyncOptions ?? []),
                Diff = new DiffOptions { IgnoreDifferences = [.. app.IgnoreDifferences.Select(ToIgnoreRule)] },
                Policy = (key, namespaced) => policy.CheckResource(key, namespaced)?.ToString(),
                Concurrency = _options.Concurrency,
                WaveTimeout = _options.WaveTimeout,
                PollInterval = _options.PollInterval,
                Progress = _options.Progress,
                NamespaceMetadata = ManagedNamespaceMetadata.FromSyncPolicy(app.Raw?["spec"]?["syncPolicy"]),
                OnWaiting = (wait, ct) => SaveWaitingAsync(app, previous, request, revision, started, wait, waiting, version, ct),
                Live = sweep?.LiveFor(cluster.Client),
                ComparisonKey = sweep is null ? null : ComparisonKey(app, revision),
                UnchangedFingerprint = sweep is not null && previous is { SyncStatus: SyncStatusCode.Synced, ActiveSyncWindows.Count: 0 } && !previous.Conditions.Any(c => c.Type == SyncWindowCondition)
                    ? previous.ComparisonFingerprint : null,
            };

            // Only a forced sync applies at once; a sync job or a refresh compares first and syncs an automated app only when OutOfSync.
            var apply = !request.DryRun && request.Mode == ReconcileMode.ForceSync;
            // A manual sync inside a deny window (or outside every allow window) is refused before anything is applied; it still compares.
            var refused = apply ? windows.ManualBlocked : null;
            string? held = null;
            if (refused is not null)
            {
                LogWindowBlocked(_logger, app.Name, refused);
                apply = false;
            }

            applying = apply;
            var result = await engine.SyncAsync(syncRequest with { DryRun = !apply, Progress = apply ? WithStepProgress(_options.Progress, request.Progress) : _options.Progress }, cancellationToken);
            if (result.Unchanged)
            {
                return new ReconcileOutcome { Status = previous, Unchanged = true, Summary = $"{app.Name}@{Short(revision)}: unchanged since the last comparison" };
            }

            // A compare whose dry run fails is OutOfSync too: the automated sync then fails and is recorded as failed, as in Argo.
            if (!apply && !request.DryRun && automated is not null
                && result is { Phase: OperationPhase.Succeeded or OperationPhase.Failed, SyncStatus: SyncStatusCode.OutOfSync })
            {
                // Argo's automated rules: a new revision syncs (unless it already failed and its retries are spent); drift on the same revision only with selfHeal.
                // "New" means not yet deployed: the last operation may be a dry run (ferry diff) that saw the revision without applying it.
                var newRevision = previous?.History is not { Count: > 0 } deployed || deployed[^1].Revision != revision;
                var retryDue = RetryDue(app, previous, revision);
                var failedBefore = previous?.FailedAutoSyncRevision == revision && !retryDue;
                // Like Argo, never auto-sync when the only work is pruning and prune is off: it would do nothing, on every refresh.
                var pruneOnly = !syncRequest.Prune && result.Resources.Where(r => r.Status == SyncStatusCode.OutOfSync).All(r => r.Action == ResourceAction.PruneSkipped);
                var heal = ((newRevision && !failedBefore) || automated.SelfHeal || retryDue) && !pruneOnly;
                if (heal && sweep is not null && windows.AutomatedBlocked is null)
                {
                    // The sync goes through the app's own job (lease, fresh reads, retries); that job reports the drift.
                    return new ReconcileOutcome { HandOff = true, Revision = app.Sources.Count == 0 && app.Source.ChartLocation is null ? revision : null, Summary = $"{app.Name}@{Short(revision)}: OutOfSync; handed to its own job" };
                }

                _events.DriftDetected(new DriftEvent(app.Name, revision, [.. result.Resources.Where(r => r.Status == SyncStatusCode.OutOfSync).Select(r => $"{r.Kind}/{r.Namespace}/{r.Name}")], heal));
                if (heal && windows.AutomatedBlocked is { } blocked)
                {
                    // Automated sync and self-heal wait for the window; the next refresh after it opens syncs.
                    LogWindowBlocked(_logger, app.Name, blocked);
                    held = blocked;
                }
                else if (heal)
                {
                    LogDrift(_logger, app.Name, revision, string.Join(", ", result.Resources.Where(r => r.Status == SyncStatusCode.OutOfSync).Take(5).Select(r => $"{r.Kind}/{r.Name}")));
                    apply = true;
                    applying = true;
                    request.Progress?.Report("out of sync: syncing");
                    result = await engine.SyncAsync(syncRequest with { Progress = WithStepProgress(_options.Progress, request.Progress) }, cancellationToken);
                }
            }

            stages["sync"] = Lap(clock);
            foreach (var (stage, ms) in result.StageMilliseconds)
            {
                stages[$"sync.{stage}"] = ms;
            }

            var status = WithWindows(Record(app, previous, request, revision, rendered, result, apply, started, stages, clusterName) with { Revisions = revisions }, windows, refused, held, request, revision, started);
            status = status with { ComparisonFingerprint = !apply && result is { Phase: OperationPhase.Succeeded, SyncStatus: SyncStatusCode.Synced } ? result.Fingerprint : null };
            await using var sweepLease = sweep is null ? null : await store.TryAcquireLeaseAsync(app.Name, _options.LeaseDuration, cancellationToken);
            if (sweep is not null && sweepLease is null)
            {
                // A sync holds the app; it records the newer result.
                return new ReconcileOutcome { Summary = $"app '{app.Name}' is being synced; the sweep leaves it to that sync" };
            }

            status = await WithCommitAsync(app, status, revision, revisions, cancellationToken);
            if (!await SaveAsync(status, version, cancellationToken))
            {
                return await SupersededAsync(app.Name, revision, cancellationToken);
            }

            _events.Reconciled(new ReconcileEvent(request, status, apply, _time.GetUtcNow() - started) { Previous = previous });
            LogReconciled(_logger, app.Name, revision, status.SyncStatus.ToString(), status.Health.ToString(), result.Message);

            var retry = apply && result.Phase == OperationPhase.Failed ? RetryDelay(app, status) : null;
            return new ReconcileOutcome
            {
                Status = status,
                Synced = apply && result.Phase == OperationPhase.Succeeded,
                Completed = retry is null,
                RetryAfter = retry,
                Operation = RunOperation(result, request, revision, apply, started, stages, previous),
                Summary = $"{app.Name}@{Short(revision)}: {status.SyncStatus}/{status.Health}: {result.Message}",
            };
        }
        catch (OperationCanceledException) when (applying && cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C or a host shutdown mid-sync: the operation ends as terminated (Argo CD's Failed "Operation terminated"), never left Running.
            await SaveTerminatedAsync(app, previous, request, revision, started, waiting[0], clusterName, version);
            throw;
        }
        catch (Exception ex) when (sweep is not null && (IsPermanent(ex) || IsTransient(ex)))
        {
            // The app's own job records the failure and, when it is transient, gets the queue's retries.
            LogFailed(_logger, app.Name, revision ?? "(unresolved)", Describe(ex));
            return new ReconcileOutcome { HandOff = true, Summary = $"{app.Name}: {Describe(ex)}; handed to its own job" };
        }
        catch (Exception ex) when (IsPermanent(ex) || IsTransient(ex))
        {
            var transient = !IsPermanent(ex);
            var message = Describe(ex);
            LogFailed(_logger, app.Name, revision ?? "(unresolved)", message);
            var failed = new OperationState
            {
                Phase = OperationPhase.Error,
                Message = message,
                Revision = revision,
                Reason = request.Reason,
                StartedAt = started,
                FinishedAt = _time.GetUtcNow(),
                DryRun = request.DryRun,
                StageMilliseconds = stages,
            };
            // Only an attempted sync is an operation; a comparison that failed (refresh, diff, dry run) is a condition, as in Argo CD.
            var attempted = request.Mode == ReconcileMode.ForceSync && !request.DryRun;
            var status = (previous ?? new AppStatus { Name = app.Name }) with
            {
                SyncStatus = SyncStatusCode.Unknown,
                Revision = revision ?? previous?.Revision,
                Operation = attempted ? failed : previous?.Operation,
                Conditions = [new AppCondition(transient || ex is GitException or ChartException ? "ComparisonError" : "InvalidSpecError", message, _time.GetUtcNow()), .. SpecWarnings(app, _time.GetUtcNow()), .. KeptConditions(previous)],
                ReconciledAt = _time.GetUtcNow(),
                Cluster = clusterName ?? previous?.Cluster,
                Source = SourceText(app),
                Spec = SpecOf(app),
            };
            if (!await SaveAsync(status, version, cancellationToken))
            {
                return await SupersededAsync(app.Name, revision, cancellationToken);
            }

            _events.Reconciled(new ReconcileEvent(request, status, false, _time.GetUtcNow() - started) { Previous = previous });
            return new ReconcileOutcome
            {
                Status = status,
                Operation = failed,
                Completed = !transient,
                RetryAfter = transient ? _options.TransientRetryDelay : null,
                Summary = $"{app.Name}: {message}",
            };
        }
    }

    /// <summary>
    /// spec.sources: each source resolved (its own targetRevision; an explicit revision applies to the first rendering source, a
    /// recorded comma-separated one to every source) and
    /// checked out; ref sources lend their checkouts to <c>$ref/path</c> value files; the rendered objects of all sources form one set,
    /// and an object rendered by two sources is an error naming both.
    /// </summary>
    private async Task<(RenderResult Rendered, IReadOnlyList<string> Revisions)> RenderSourcesAsync(Application app, string? requested,
        Dictionary<string, double> stages, Stopwatch clock, CancellationToken cancellationToken)
    {
        // A recorded multi-source revision (a rollback) names every source's commit, comma-separated.
        var pinned = requested?.Split(',') is { } parts && parts.Length == app.Sources.Count && parts.Length > 1 ? parts : null;
        var revisions = new List<string>(app.Sources.Count);
        var resolvedCharts = new Dictionary<int, ResolvedChart>();
        for (var i = 0; i < app.Sources.Count; i++)
        {
            var source = app.Sources[i];
            var given = pinned?[i] ?? (requested is not null && ReferenceEquals(source, app.Source) ? requested : null);
            if (source.ChartLocation is { } chart)
            {
                resolvedCharts[i] = await Charts.ResolveAsync(chart, ChartTarget(source, given), cancellationToken);
                revisions.Add(resolvedCharts[i].Version);
                continue;
            }

            revisions.Add(given ?? await git.ResolveAsync(source.RepoUrl, source.TargetRevision, cancellationToken));
        }

        stages["resolve"] = Lap(clock);
        var checkouts = new List<IDisposable>(app.Sources.Count);
        var trees = new List<string>(app.Sources.Count);
        try
        {
            for (var i = 0; i < app.Sources.Count; i++)
            {
                if (resolvedCharts.TryGetValue(i, out var resolved))
                {
                    var pulled = await Charts.PullAsync(app.Sources[i].ChartLocation!, resolved, cancellationToken);
                    checkouts.Add(pulled);
                    trees.Add(pulled.Path);
                    continue;
                }

                var checkout = await git.CheckoutAsync(app.Sources[i].RepoUrl, revisions[i], cancellationToken);
                checkouts.Add(checkout);
                trees.Add(checkout.Path);
            }

            return (await RenderCheckoutsAsync(app, trees, stages, clock, cancellationToken), revisions);
        }
        finally
        {
            foreach (var checkout in checkouts)
            {
                checkout.Dispose();
            }
        }
    }

    /// <summary>Renders every manifest-producing source from its checkout and merges the objects; an object from two sources is an error.</summary>
    private async Task<RenderResult> RenderCheckoutsAsync(Application app, IReadOnlyList<string> trees, Dictionary<string, double> stages, Stopwatch clock, CancellationToken cancellationToken)
    {

        stages["fetch"] = Lap(clock);
        var refRoots = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < app.Sources.Count; i++)
        {
            if (app.Sources[i].Ref is { } name)
            {
                refRoots[name] = trees[i];
            }
        }

        var manifests = new List<Manifest>();
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        var tools = new List<string>();
        for (var i = 0; i < app.Sources.Count; i++)
        {
            var source = app.Sources[i];
            if (!source.RendersManifests)
            {
                continue;
            }

            var renderRequest = source.ChartLocation is not null
                ? ChartRenderRequest(app, source, trees[i], refRoots)
                : app.ToRenderRequest(source, trees[i], refRoots) with { Capabilities = CapabilitiesOf(app), Charts = Charts };
            var result = await renderer.RenderAsync(renderRequest, cancellationToken);
            tools.Add(result.Tool);
            foreach (var manifest in result.Manifests)
            {
                var key = ObjectKey(manifest, app.Destination.Namespace);
                if (key is not null && !owners.TryAdd(key, i))
                {
                    var first = app.Sources[owners[key]];
                    throw new SyncPlanException(
                        $"{key} is rendered by two sources: spec.sources[{owners[key]}] ({first.RepoUrl} {first.Path}) and spec.sources[{i}] ({source.RepoUrl} {source.Path} {manifest.Source}:{manifest.Line}); each object must come from one source");
                }

                manifests.Add(manifest);
            }
        }

        stages["render"] = Lap(clock);
        return new RenderResult(manifests, string.Join('+', tools.Distinct(StringComparer.Ordinal)));
    }

    private static string? ObjectKey(Manifest manifest, string? destinationNamespace)
    {
        var obj = manifest.Object;
        if (obj["metadata"] is not JsonObject metadata || (string?)metadata["name"] is not { Length: > 0 } name)
        {
            return null;
        }

        var apiVersion = (string?)obj["apiVersion"] ?? string.Empty;
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : string.Empty;
        var ns = (string?)metadata["namespace"] ?? destinationNamespace ?? string.Empty;
        return $"{(group.Length == 0 ? string.Empty : group + "/")}{obj["kind"]}/{ns}/{name}";
    }

    private AppStatus Record(Application app, AppStatus? previous, ReconcileRequest request, string revision, RenderResult rendered, SyncResult result,
        bool applied, DateTimeOffset started, Dictionary<string, double> stages, string? clusterName)
    {
        var now = _time.GetUtcNow();
        var history = previous?.History ?? [];
        var succeeded = applied && result.Phase == OperationPhase.Succeeded;
        if (succeeded)
        {
            var id = history.Count == 0 ? 0 : history[^1].Id + 1;
            history = [.. history.Append(new HistoryEntry
            {
                Id = id,
                Revision = revision,
                DeployedAt = now,
                DeployStartedAt = started,
                RepoUrl = app.Source.RepoUrl,
                Path = app.Source.Path,
                Reason = request.Reason,
            }).TakeLast(Math.Max(1, app.RevisionHistoryLimit))];
        }

        // The first time the deployed objects are all Healthy is recorded once, so "deployed" is announced once per sync, across restarts.
        if (result.Phase != OperationPhase.Error && result.Health.Status == HealthStatusCode.Healthy && history.Count > 0 && history[^1].HealthyAt is null)
        {
            history = [.. history.Take(history.Count - 1), history[^1] with { HealthyAt = now }];
        }

        // Argo CD's split: a comparison (refresh, diff, dry run) updates only the sync status, resources and diff; the last
        // operation and the history change only when a sync ran.
        var operation = applied ? RunOperation(result, request, revision, applied, started, stages, previous) : previous?.Operation;

        var conditions = new List<AppCondition>();
        conditions.AddRange(SpecWarnings(app, now));
        if (!succeeded)
        {
            conditions.AddRange(KeptConditions(previous));
        }

        conditions.AddRange(result.Warnings.Select(w => new AppCondition("SyncWarning", w, now)));
        if (result.Phase is OperationPhase.Failed or OperationPhase.Error)
        {
            conditions.Add(new AppCondition(applied ? "SyncError" : "ComparisonError", result.Message, now));
        }

        var automatedFailed = applied && result.Phase != OperationPhase.Succeeded && app.SyncPolicy?.Automated is not null;
        return new AppStatus
        {
            Name = app.Name,
            SyncStatus = result.Phase == OperationPhase.Error ? SyncStatusCode.Unknown : result.SyncStatus,
            Revision = revision,
            Health = result.Health.Status,
            HealthMessage = result.Health.Message,
            Operation = operation,
            Conditions = conditions,
            Resources = result.Resources,
            Inventory = applied ? result.Inventory : previous?.Inventory ?? [],
            History = history,
            ReconciledAt = now,
            // A comparison that found nothing clears the diff (a reverted live edit); only an error keeps the last one.
            LastDiff = result.Phase == OperationPhase.Error ? previous?.LastDiff : result.Diff,
            FailedAutoSyncRevision = automatedFailed ? revision : succeeded ? null : previous?.FailedAutoSyncRevision,
            Cluster = clusterName,
            Source = SourceText(app),
            Spec = SpecOf(app),
        };
    }

    /// <summary>Unknown or unsupported fields in the app's (or its project's) manifest, as Argo-style warning conditions naming file, line and field.</summary>
    private static IEnumerable<AppCondition> SpecWarnings(Application app, DateTimeOffset now) =>
        app.Warnings.Select(w => new AppCondition(AppCondition.SpecWarning, w.ToString(), now));

    /// <summary>Puts the open sync windows on the status and, when a window held the sync, says so: a refused manual sync is a failed operation.</summary>
    private AppStatus WithWindows(AppStatus status, SyncWindowDecision windows, string? refused, string? held, ReconcileRequest request, string revision, DateTimeOffset started)
    {
        var now = _time.GetUtcNow();
        status = status with { ActiveSyncWindows = [.. windows.Active.Select(w => w.ToString())] };
        if (refused is not null)
        {
            return status with
            {
                Operation = new OperationState
                {
                    Phase = OperationPhase.Failed,
                    Message = refused,
                    Revision = revision,
                    Reason = request.Reason,
                    StartedAt = started,
                    FinishedAt = now,
                },
                Conditions = [.. status.Conditions, new AppCondition(SyncWindowCondition, refused, now)],
            };
        }

        return held is null ? status : status with { Conditions = [.. status.Conditions, new AppCondition(SyncWindowCondition, held, now)] };
    }

    /// <summary>The operation this run amounts to: recorded when it applied, reported (as a dry run) when it only compared.</summary>
    private OperationState RunOperation(SyncResult result, ReconcileRequest request, string revision, bool applied, DateTimeOffset started, Dictionary<string, double> stages, AppStatus? previous) => new()
    {
        Phase = result.Phase,
        Message = result.Message,
        Revision = revision,
        Reason = request.Reason,
        StartedAt = started,
        FinishedAt = _time.GetUtcNow(),
        DryRun = !applied,
        Results = result.Results,
        StageMilliseconds = stages,
        RetryCount = applied && result.Phase == OperationPhase.Failed && previous?.Operation?.Revision == revision && previous.Operation.Phase == OperationPhase.Failed
            ? previous.Operation.RetryCount + 1 : 0,
    };

    /// <summary>Conditions that outlive a comparison: a job that reached the poison queue stays shown until a sync succeeds.</summary>
    private static IEnumerable<AppCondition> KeptConditions(AppStatus? previous) =>
        previous?.Conditions.Where(c => c.Type == JobProcessor.PoisonedCondition) ?? [];

    /// <summary>Writes the status only while the stored one is the version this job read (or last wrote); false when another writer got there first.</summary>
    private async Task<bool> SaveAsync(AppStatus status, StatusVersion version, CancellationToken cancellationToken)
    {
        if (version.Lost)
        {
            return false;
        }

        var written = await store.TrySaveAsync(status, version.Value, cancellationToken);
        if (written is null)
        {
            version.Lost = true;
            return false;
        }

        version.Value = written;
        return true;
    }

    /// <summary>The outcome of a job whose result arrived after a newer one was recorded (its lease lapsed meanwhile): the newer record stays.</summary>
    private async Task<ReconcileOutcome> SupersededAsync(string app, string? revision, CancellationToken cancellationToken)
    {
        LogSuperseded(_logger, app, revision ?? "(unresolved)");
        return new ReconcileOutcome
        {
            Status = await store.GetAsync(app, cancellationToken),
            Summary = $"{app}: a newer result was recorded while this job ran; kept the newer record",
        };
    }

    /// <summary>Adds (or replaces) one condition on an app's record with a conditional write, retried when another writer got there first.</summary>
    public async Task RecordConditionAsync(string app, string type, string message, CancellationToken cancellationToken)
    {
        var condition = new AppCondition(type, message, _time.GetUtcNow());
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await store.ReadAsync(app, cancellationToken);
            var status = stored?.Status ?? new AppStatus { Name = app };
            status = status with { Conditions = [.. status.Conditions.Where(c => c.Type != condition.Type), condition] };
            if (await store.TrySaveAsync(status, stored?.Version, cancellationToken) is not null)
            {
                return;
            }
        }
    }

    /// <summary>Puts the deployed commit's subject and author on a history entry this run added (Git's cache has the commit after the checkout).</summary>
    private async Task<AppStatus> WithCommitAsync(Application app, AppStatus status, string revision, IReadOnlyList<string> revisions, CancellationToken cancellationToken)
    {
        if (status.History.Count == 0 || status.History[^1] is not { CommitMessage: null } entry || entry.DeployedAt != status.ReconciledAt)
        {
            return status;
        }

        try
        {
            // A multi-source app's history names its first rendering source, so its commit is that source's.
            var index = app.Sources.Count == 0 ? -1 : app.Sources.ToList().FindIndex(s => s.RendersManifests);
            var (repoUrl, sha) = index < 0 || index >= revisions.Count ? (app.Source.RepoUrl, revision) : (app.Sources[index].RepoUrl, revisions[index]);
            if (await git.CommitInfoAsync(repoUrl, sha, cancellationToken) is not { } commit)
            {
                return status;
            }

            return status with { History = [.. status.History.Take(status.History.Count - 1), entry with { CommitMessage = commit.Subject, CommitAuthor = commit.Author }] };
        }
        catch (Exception ex) when (ex is GitException or IOException or ArgumentException or LibGit2Sharp.LibGit2SharpException)
        {
            // The commit's words are a courtesy; the sync's record never fails for them.
            return status;
        }
    }

    /// <summary>Why a rollback may not run: automated sync would undo it at once (Argo CD refuses it too).</summary>
    private static string? RollbackRefusal(Application app) =>
        app.SyncPolicy?.Automated is not null
            ? "rollback refused: automated sync is on; it would sync back to Git at once. Turn automated sync off first (as Argo CD requires)."
            : null;

    /// <summary>Whether the last attempt at this revision failed, retries remain, and its backoff has passed (so any job may retry it).</summary>
    private bool RetryDue(Application app, AppStatus? previous, string revision) =>
        app.SyncPolicy?.Retry is { } retry
        && previous?.Operation is { Phase: OperationPhase.Failed, DryRun: false } op && op.Revision == revision
        && (retry.Limit < 0 || op.RetryCount < retry.Limit)
        && _time.GetUtcNow() >= (op.FinishedAt ?? op.StartedAt) + retry.Backoff.DelayFor(op.RetryCount + 1);

    /// <summary>Records a sync cancelled while it applied as a finished, failed operation naming where it stopped.</summary>
    private async Task SaveTerminatedAsync(Application app, AppStatus? previous, ReconcileRequest request, string? revision, DateTimeOffset started, string? waitingFor,
        string? clusterName, StatusVersion version)
    {
        var status = (previous ?? new AppStatus { Name = app.Name }) with
        {
            Operation = new OperationState
            {
                Phase = OperationPhase.Failed,
                Message = waitingFor is null ? "Operation terminated" : $"Operation terminated while {waitingFor}",
                Revision = revision,
                Reason = request.Reason,
                StartedAt = started,
                FinishedAt = _time.GetUtcNow(),
            },
            Cluster = clusterName ?? previous?.Cluster,
        };
        LogTerminated(_logger, app.Name, revision ?? "(unresolved)");
        await SaveAsync(status, version, CancellationToken.None);
    }

    /// <summary>The engine's per-object progress, also told to the request as one line each time the sync enters a new phase and wave.</summary>
    private static IProgress<ResourceStatus>? WithStepProgress(IProgress<ResourceStatus>? objects, IProgress<string>? steps)
    {
        if (steps is null)
        {
            return objects;
        }

        (string? Phase, int Wave)? current = null;
        var gate = new Lock();
        return new ProgressRelay(status =>
        {
            objects?.Report(status);
            var step = (status.HookPhase ?? "Sync", status.Wave);
            lock (gate)
            {
                if (current == step)
                {
                    return;
                }

                current = step;
            }

            steps.Report($"{step.Item1} wave {step.Wave.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {(status.Action is ResourceAction.Pruned or ResourceAction.PruneSkipped ? "pruning" : "applying")}");
        });
    }

    /// <summary>Records "waiting for X/Y" as a Running operation while a sync waits for a wave (only when the message changes).</summary>
    private async Task SaveWaitingAsync(Application app, AppStatus? previous, ReconcileRequest request, string revision, DateTimeOffset started, SyncWait wait,
        string?[] last, StatusVersion version, CancellationToken cancellationToken)
    {
        if (last[0] == wait.Message)
        {
            return;
        }

        last[0] = wait.Message;
        request.Progress?.Report(wait.Message);
        var status = previous ?? new AppStatus { Name = app.Name };
        await SaveAsync(status with
        {
            Operation = new OperationState { Phase = OperationPhase.Running, Message = wait.Message, Revision = revision, Reason = request.Reason, StartedAt = started },
        }, version, cancellationToken);
    }

    private TimeSpan? RetryDelay(Application app, AppStatus status)
    {
        var retry = app.SyncPolicy?.Retry;
        if (retry is null || status.Operation is null || status.Operation.RetryCount >= retry.Limit)
        {
            return null;
        }

        return retry.Backoff.DelayFor(status.Operation.RetryCount + 1);
    }

    private async Task<IAppLease?> AcquireLeaseAsync(ReconcileRequest request, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.LeaseWait;
        while (true)
        {
            var lease = await store.TryAcquireLeaseAsync(request.App, _options.LeaseDuration, cancellationToken);
            if (lease is not null || !request.WaitForLease || _time.GetUtcNow() >= deadline)
            {
                return lease;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken);
        }
    }

    /// <summary>
    /// The commit the app's source targets: in a sweep, from the sweep's one listing of the repository; for the job a sweep handed the app
    /// to, from the newest listing when it still names the commit the sweep saw; otherwise (webhooks, manual syncs) from a new listing.
    /// </summary>
    private Task<string> ResolveAsync(ApplicationSource source, ReconcileRequest request, AppStatus? previous, CancellationToken cancellationToken)
    {
        if (request.Sweep is { } sweep)
        {
            return _revisions.ResolveAsync(source.RepoUrl, source.TargetRevision, sweep, cancellationToken);
        }

        // Only when the recorded status agrees: another instance may have deployed a newer commit this process has not listed yet.
        if (request is { Reason: "drift", RevisionHint: { } expected } && (previous?.Revision is null || string.Equals(previous.Revision, expected, StringComparison.OrdinalIgnoreCase)))
        {
            return _revisions.ResolveExpectingAsync(source.RepoUrl, source.TargetRevision, expected, cancellationToken);
        }

        return git.ResolveAsync(source.RepoUrl, source.TargetRevision, cancellationToken);
    }

    /// <summary>What besides the objects decides a comparison: the revision and the app's whole spec as written.</summary>
    private static string ComparisonKey(Application app, string revision) =>
        $"{revision}\n{app.Project}\n{app.Raw?.ToJsonString() ?? app.Name}";

    /// <summary>The chart cache: the one given, else one under the temporary folder made on first use.</summary>
    private ChartCache Charts => charts ?? LazyInitializer.EnsureInitialized(ref _defaultCharts,
        () => new ChartCache(new ChartCacheOptions { RootDirectory = Path.Combine(Path.GetTempPath(), "ferry-charts") }));

    private ChartCache? _defaultCharts;

    /// <summary>
    /// A chart source's version and package: an explicit exact version (a rollback, <c>--revision</c>) wins, anything else — a
    /// commit SHA from a job, say — is ignored, and the source's targetRevision is resolved again (so a range follows releases).
    /// </summary>
    private async Task<ChartCheckout> PullChartAsync(ApplicationSource source, ChartLocation chart, string? requested, Dictionary<string, double> stages, Stopwatch clock, CancellationToken cancellationToken)
    {
        var resolved = await Charts.ResolveAsync(chart, ChartTarget(source, requested), cancellationToken);
        stages["resolve"] = Lap(clock);
        var pulled = await Charts.PullAsync(chart, resolved, cancellationToken);
        stages["fetch"] = Lap(clock);
        return pulled;
    }

    private static string ChartTarget(ApplicationSource source, string? requested) =>
        requested is not null && ChartVersions.IsExact(requested) ? requested : source.TargetRevision;

    /// <summary>A pulled chart renders with helm whatever files it holds, with the destination cluster's capabilities.</summary>
    private RenderRequest ChartRenderRequest(Application app, ApplicationSource source, string chartFolder, IReadOnlyDictionary<string, string> refRoots) =>
        app.ToRenderRequest(source with { Path = ".", Helm = source.Helm ?? new HelmOptions() }, chartFolder, refRoots) with { Capabilities = CapabilitiesOf(app), Charts = Charts };

    /// <summary>Reads the destination cluster's version and APIs for Helm, only when a chart is rendered (as under Argo CD).</summary>
    private Func<CancellationToken, Task<Render.Helm.HelmCapabilities>> CapabilitiesOf(Application app) =>
        async ct => await ClusterCapabilities.ReadAsync((await clusters.ConnectAsync(app.Destination, ct)).Client, ct);

    private static IgnoreDifference ToIgnoreRule(ResourceIgnoreDifferences rule) => new()
    {
        Group = rule.Group,
        Kind = rule.Kind,
        Name = rule.Name,
        Namespace = rule.Namespace,
        JsonPointers = rule.JsonPointers,
        JqPathExpressions = rule.JqPathExpressions,
        ManagedFieldsManagers = rule.ManagedFieldsManagers,
    };

    private static bool IsPermanent(Exception ex) =>
        ex is GitException { RevisionNotFound: true } or ChartException { Permanent: true } or RenderException or YamlFormatException or SyncPlanException or AppValidationException or UnknownClusterException or KubeConfigException or FormatException;

    private static bool IsTransient(Exception ex) =>
        ex is GitException or ChartException or KubeUnreachableException or KubeCredentialException or KubeApiException or HttpRequestException or TimeoutException or IOException;

    private static string Describe(Exception ex) => ex switch
    {
        RenderException r => $"render failed: {r.Message}",
        YamlFormatException y => $"render failed: {y.Message}",
        GitException g => $"git: {g.Message}",
        ChartException c => c.Message,
        _ => ex.Message,
    };

    private static AppSpecSnapshot SpecOf(Application app) => new()
    {
        RepoUrl = app.Source.RepoUrl,
        Path = app.Source.Path,
        TargetRevision = app.Source.TargetRevision,
        DestinationServer = app.Destination.Server,
        DestinationName = app.Destination.Name,
        DestinationNamespace = app.Destination.Namespace,
    };

    private static string SourceText(Application app) =>
        string.Join("; ", app.AllSources.Select(s => s.RendersManifests ? $"{s.RepoUrl} {s.Path} @ {s.TargetRevision}" : $"{s.RepoUrl} @ {s.TargetRevision} (ref {s.Ref})"));

    private static string Short(string revision) => revision.Length > 7 ? revision[..7] : revision;

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return ms;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App {App}: {Message}")]
    private static partial void LogWindowBlocked(ILogger logger, string app, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {App}: the job named {Hint}, the app's target resolves to {Revision}; deploying the target")]
    private static partial void LogHintIgnored(ILogger logger, string app, string hint, string revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {App} at {Revision}: a newer result was recorded while this job ran; not overwriting it")]
    private static partial void LogSuperseded(ILogger logger, string app, string revision);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {App} is locked by another sync; skipping")]
    private static partial void LogBusy(ILogger logger, string app);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {App} drifted at {Revision}: {Resources}")]
    private static partial void LogDrift(ILogger logger, string app, string revision, string resources);

    [LoggerMessage(Level = LogLevel.Information, Message = "App {App} at {Revision}: {SyncStatus}/{Health}: {Message}")]
    private static partial void LogReconciled(ILogger logger, string app, string revision, string syncStatus, string health, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {App} at {Revision}: the sync was cancelled; recorded as terminated")]
    private static partial void LogTerminated(ILogger logger, string app, string revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "App {App} at {Revision} failed: {Message}")]
    private static partial void LogFailed(ILogger logger, string app, string revision, string message);

    /// <summary>An <see cref="IProgress{T}"/> that calls back at once on the reporting thread (no synchronization context).</summary>
    private sealed class ProgressRelay(Action<ResourceStatus> report) : IProgress<ResourceStatus>
    {
        public void Report(ResourceStatus value) => report(value);
    }

    /// <summary>The stored status version this job last read or wrote; lost once another writer changed the record.</summary>
    private sealed class StatusVersion
    {
        public string? Value { get; set; }

        public bool Lost { get; set; }
    }
}
