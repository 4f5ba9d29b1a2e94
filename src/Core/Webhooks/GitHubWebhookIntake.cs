using Ferry.Core.Jobs;

namespace Ferry.Core.Webhooks;

/// <summary>
/// A GitHub delivery from raw bytes to queued jobs: size limit, signature over the raw body, de-duplication by
/// delivery id, event parsing, matching the push to apps the way Argo CD does, one sync job per matched app.
/// </summary>
public sealed class GitHubWebhookIntake(ICatalogProvider catalogs, IJobQueue queue, string? secret, DeliveryDeduplicator deduplicator, TimeProvider? time = null, IFerryEvents? events = null,
    string? appsRepoUrl = null)
{
    /// <summary>GitHub caps payloads at 25 MiB; anything larger is refused.</summary>
    public const long MaxBodyBytes = GitHubEventParser.MaxPayloadBytes;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Handles one delivery. <paramref name="header"/> looks a request header up by name (case-insensitive).</summary>
    public async Task<WebhookResponse> HandleAsync(Func<string, string?> header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var response = await HandleCoreAsync(header, body, cancellationToken);
        (events ?? FerryEvents.None).WebhookReceived(header(GitHubHeaders.Delivery), response);
        return response;
    }

    /// <summary>Answers a delivery refused for its size before its body was read (413), and tells the listeners like any other answer.</summary>
    public WebhookResponse TooLarge(Func<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var response = new WebhookResponse(413, "payload larger than 25 MiB", []) { Event = header(GitHubHeaders.Event) };
        (events ?? FerryEvents.None).WebhookReceived(header(GitHubHeaders.Delivery), response);
        return response;
    }

    private async Task<WebhookResponse> HandleCoreAsync(Func<string, string?> header, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (body.Length > MaxBodyBytes)
        {
            return new WebhookResponse(413, "payload larger than 25 MiB", []) { Event = header(GitHubHeaders.Event) };
        }

        var eventName = header(GitHubHeaders.Event);
        if (!string.IsNullOrEmpty(secret) && !GitHubSignature.Verify(body.Span, header(GitHubHeaders.Signature256), secret))
        {
            return new WebhookResponse(401, "signature missing or invalid", []) { Event = eventName };
        }

        var parsed = GitHubEventParser.Parse(eventName, body.Span);
        switch (parsed)
        {
            case GitHubMalformedEvent malformed:
                return new WebhookResponse(400, malformed.Error, []) { Event = eventName };
            case GitHubPing:
                return new WebhookResponse(200, "pong", []) { Event = eventName };
            case GitHubIgnoredEvent ignored:
                return new WebhookResponse(202, $"event '{ignored.EventName}' ignored", []) { Event = eventName };
            case GitHubPush push:
                var delivery = header(GitHubHeaders.Delivery);
                if (!deduplicator.TryRegister(delivery))
                {
                    return new WebhookResponse(202, $"delivery {delivery} already handled", []) { Event = eventName };
                }

                return await QueueAsync(push, delivery ?? $"push-{push.After}", cancellationToken) with { Event = eventName };
            default:
                return new WebhookResponse(202, "ignored", []) { Event = eventName };
        }
    }

    private async Task<WebhookResponse> QueueAsync(GitHubPush push, string deliveryId, CancellationToken cancellationToken)
    {
        if (push.Deleted)
        {
            return new WebhookResponse(202, $"{push.Ref} was deleted; nothing to sync", []);
        }

        var catalog = await catalogs.GetAsync(cancellationToken);
        var queued = new List<string>();
        var skipped = new List<string>();
        var now = _time.GetUtcNow();

        // App-of-apps: a push to the apps repository changes the catalog itself; refresh every app it now lists,
        // so new apps sync at once (removed apps are reported by the drift check, never pruned).
        var catalogPush = appsRepoUrl is not null && push.Repository.Urls.Any(u => WebhookRepoUrl.AreSame(u, appsRepoUrl));
        // A push to an ApplicationSet's git generator repository can add, change or drop generated apps: refresh every app of that set.
        var regenerated = catalog.ApplicationSets
            .Where(set => set.GitRepositoryUrls().Any(url => push.Repository.Urls.Any(u => WebhookRepoUrl.AreSame(u, url))))
            .Select(set => set.Name)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var app in catalog.Applications.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (catalogPush || (app.GeneratedBy is { } set && regenerated.Contains(set)))
            {
                await queue.EnqueueAsync(new JobMessage { Kind = JobKind.Refresh, App = app.Name, Reason = JobReason.Webhook, DeliveryId = deliveryId, EnqueuedAt = now }, cancellationToken);
                queued.Add(app.Name);
                continue;
            }

            // A multi-source app matches a push to any of its sources (a ref source by repository and revision alone: its files
            // are read through $ref value files, not under a path); its job resolves every source again, so it carries no revision.
            // A Helm chart from a chart repository or registry is not in Git: a push never concerns it (drift checks re-resolve its version).
            var gitSources = app.AllSources.Where(s => s.ChartLocation is null).ToList();
            if (gitSources.Count == 0)
            {
                skipped.Add($"{app.Name}: its source is a Helm chart repository, which a Git push does not change");
                continue;
            }

            var matches = gitSources
                .Select(s => PushMatcher.Match(push, s.RepoUrl, s.TargetRevision, s.RendersManifests ? s.Path : ".",
                    s.RendersManifests ? app.Annotations.GetValueOrDefault(PushMatcher.ManifestGeneratePathsAnnotation) : null, ValueFilesOf(s)))
                .ToList();
            var match = matches.FirstOrDefault(m => m.IsMatch) ?? matches[0];
            if (!match.IsMatch)
            {
                skipped.Add($"{app.Name}: {string.Join("; ", matches.Select(m => m.Reason).Distinct(StringComparer.Ordinal))}");
                continue;
            }

            await queue.EnqueueAsync(new JobMessage
            {
                Kind = JobKind.Sync,
                App = app.Name,
                Revision = app.Sources.Count == 0 ? push.After : null,
                Reason = JobReason.Webhook,
                DeliveryId = deliveryId,
                EnqueuedAt = now,
            }, cancellationToken);
            queued.Add(app.Name);
        }

        var message = queued.Count == 0 ? "no app matches this push" : $"queued {queued.Count} app(s)";
        return new WebhookResponse(202, message, queued) { Skipped = skipped };
    }

    /// <summary>The Helm value files a source reads from its own repository (relative to its path), which a push may change outside the app's folder.</summary>
    private static IEnumerable<string> ValueFilesOf(Apps.ApplicationSource source) =>
        source.Helm?.ValueFiles.Where(f => !f.StartsWith('$') && !f.Contains("://", StringComparison.Ordinal)) ?? [];
}
