namespace Ferry.Core.Apps;

/// <summary>
/// Argo CD's sync-window rules: an active deny window blocks (a manual sync passes only when every active deny window has
/// <c>manualSync</c>); otherwise an active allow window permits; otherwise, when the app has allow windows and none is open, syncs
/// are blocked (a manual sync passes only when every such allow window has <c>manualSync</c>); an app no window matches is never blocked.
/// </summary>
public static class SyncWindowPolicy
{
    /// <summary>The decision for <paramref name="app"/> under its project's windows at <paramref name="now"/>.</summary>
    public static SyncWindowDecision Evaluate(AppProject project, Application app, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(app);
        var matching = project.SyncWindows
            .Where(w => w.Matches(app.Name, app.Destination.Server, app.Destination.Name, app.Destination.Namespace))
            .ToList();
        if (matching.Count == 0)
        {
            return SyncWindowDecision.Open;
        }

        var active = matching.Where(w => w.IsActive(now)).ToList();
        var activeDeny = active.Where(w => w.IsDeny).ToList();
        if (activeDeny.Count > 0)
        {
            var manualAllowed = activeDeny.All(w => w.ManualSync);
            return new SyncWindowDecision
            {
                Active = active,
                AutomatedBlocked = $"sync blocked: {Describe(activeDeny)} {(activeDeny.Count == 1 ? "is" : "are")} active",
                ManualBlocked = manualAllowed ? null : $"sync refused: {Describe(activeDeny.Where(w => !w.ManualSync))} {(activeDeny.Count(w => !w.ManualSync) == 1 ? "is" : "are")} active and {(activeDeny.Count(w => !w.ManualSync) == 1 ? "does" : "do")} not allow manual sync",
            };
        }

        if (active.Any(w => !w.IsDeny))
        {
            return new SyncWindowDecision { Active = active };
        }

        var inactiveAllows = matching.Where(w => !w.IsDeny).ToList();
        if (inactiveAllows.Count == 0)
        {
            return new SyncWindowDecision { Active = active };
        }

        return new SyncWindowDecision
        {
            Active = active,
            AutomatedBlocked = $"sync blocked: outside every allow window ({Describe(inactiveAllows)})",
            ManualBlocked = inactiveAllows.All(w => w.ManualSync)
                ? null
                : $"sync refused: outside every allow window ({Describe(inactiveAllows)}), and not all of them allow manual sync",
        };
    }

    private static string Describe(IEnumerable<SyncWindow> windows) => string.Join("; ", windows.Select(w => w.ToString()));
}
