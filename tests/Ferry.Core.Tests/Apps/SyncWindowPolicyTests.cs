using Ferry.Core.Apps;

namespace Ferry.Core.Tests.Apps;

public sealed class SyncWindowPolicyTests
{
    /// <summary>Wednesday 2026-12-02 22:30 UTC (23:30 in Amsterdam).</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 22, 30, 0, TimeSpan.Zero);

    private static readonly ApplicationCatalogLoader Loader = new();

    public static TheoryData<string, string, string?, string?> Rows { get; } = new()
    {
        // row, windows (YAML list items), automated verdict, manual verdict (null = may sync; else the start of the message)
        { "no window", "", null, null },
        { "deny open", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*']}", "sync blocked: deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC) is active", "sync refused: deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC) is active and does not allow manual sync" },
        { "deny closed", "- {kind: deny, schedule: '0 22 * * *', duration: 20m, applications: ['*']}", null, null },
        { "deny open, manual allowed", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}", "sync blocked: deny window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC, manual sync allowed) is active", null },
        { "two denies, one without manual", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}\n- {kind: deny, schedule: '*/10 * * * *', duration: 15m, namespaces: [prod]}", "sync blocked: deny window spec.syncWindows[0]", "sync refused: deny window spec.syncWindows[1] of project web (*/10 * * * *, 15m, UTC) is active and does not allow manual sync" },
        { "allow open", "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}", null, null },
        { "allow closed", "- {kind: allow, schedule: '0 6 * * 1-5', duration: 8h, clusters: ['https://kubernetes.default.svc']}", "sync blocked: outside every allow window (allow window spec.syncWindows[0] of project web (0 6 * * 1-5, 8h, UTC))", "sync refused: outside every allow window" },
        { "allow closed, manual allowed", "- {kind: allow, schedule: '0 6 * * 1-5', duration: 8h, applications: [web], manualSync: true}", "sync blocked: outside every allow window", null },
        { "deny beats an open allow", "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}\n- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: [we?]}", "sync blocked: deny window spec.syncWindows[1]", "sync refused: deny window spec.syncWindows[1]" },
        { "one allow open, one closed", "- {kind: allow, schedule: '0 6 * * *', duration: 1h, applications: ['*']}\n- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}", null, null },
        { "window for another app", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: [billing-*]}", null, null },
        { "namespace glob", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, namespaces: ['pro*']}", "sync blocked: deny window", "sync refused: deny window" },
        { "cluster by server", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, clusters: ['https://kubernetes.default.*']}", "sync blocked: deny window", "sync refused: deny window" },
        { "and operator, one selector misses", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: [web], namespaces: [dev], andOperator: true}", null, null },
        { "or by default, one selector hits", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: [web], namespaces: [dev]}", "sync blocked: deny window", "sync refused: deny window" },
        { "time zone: 23:00 Amsterdam is 22:00 UTC", "- {kind: deny, schedule: '0 23 * * *', duration: 1h, timeZone: Europe/Amsterdam, applications: ['*']}", "sync blocked: deny window spec.syncWindows[0] of project web (0 23 * * *, 1h, Europe/Amsterdam) is active", "sync refused" },
        { "time zone: 22:00 Amsterdam was 21:00 UTC", "- {kind: deny, schedule: '0 22 * * *', duration: 1h, timeZone: Europe/Amsterdam, applications: ['*']}", null, null },
        { "window opened yesterday, long duration", "- {kind: deny, schedule: '0 23 * * 2', duration: 24h, applications: ['*']}", "sync blocked: deny window", "sync refused: deny window" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_Row_FollowsArgoRules(string row, string windows, string? automated, string? manual)
    {
        var (project, app) = Load(windows);

        var decision = SyncWindowPolicy.Evaluate(project, app, Now);

        Assert.True(Verdict(automated, decision.AutomatedBlocked), $"{row}: automated was '{decision.AutomatedBlocked}'");
        Assert.True(Verdict(manual, decision.ManualBlocked), $"{row}: manual was '{decision.ManualBlocked}'");
    }

    [Fact]
    public void Evaluate_OpenWindows_ListedInProjectOrder()
    {
        var (project, app) = Load("""
            - {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}
            - {kind: allow, schedule: '0 6 * * *', duration: 1h, applications: ['*']}
            - {kind: deny, schedule: '29 22 * * *', duration: 5m, applications: ['*'], manualSync: true}
            """);

        var decision = SyncWindowPolicy.Evaluate(project, app, Now);

        Assert.Equal(
            ["allow window spec.syncWindows[0] of project web (0 22 * * *, 1h, UTC)", "deny window spec.syncWindows[2] of project web (29 22 * * *, 5m, UTC, manual sync allowed)"],
            decision.Active.Select(w => w.ToString()));
    }

    [Theory]
    [InlineData("- {kind: maybe, schedule: '0 22 * * *', duration: 1h, applications: ['*']}", "projects.yaml:10: spec.syncWindows[0].kind: must be allow or deny, got 'maybe'")]
    [InlineData("- {kind: deny, schedule: '0 25 * * *', duration: 1h, applications: ['*']}", "projects.yaml:10: spec.syncWindows[0].schedule: not a five-field cron schedule:")]
    [InlineData("- {kind: deny, schedule: '0 22 * * *', duration: soon, applications: ['*']}", "projects.yaml:10: spec.syncWindows[0].duration: must be a positive duration such as 30m, 1h or 1h30m, got 'soon'")]
    [InlineData("- {kind: deny, schedule: '0 22 * * *', duration: 1h, timeZone: Mars/Olympus, applications: ['*']}", "projects.yaml:10: spec.syncWindows[0].timeZone: unknown time zone 'Mars/Olympus'")]
    [InlineData("- {kind: deny, duration: 1h, applications: ['*']}", "projects.yaml:10: spec.syncWindows[0].schedule: is required")]
    public void Load_BadWindow_ErrorNamesFileLineAndField(string windows, string expected)
    {
        var ex = Assert.Throws<AppValidationException>(() => Load(windows));

        // The project is then undefined, so the app's reference to it fails too; the window's error comes first.
        Assert.StartsWith(expected, ex.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SyncOverrun_IsAWarning()
    {
        var catalog = Loader.Load([(Project("- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], syncOverrun: true}"), "projects.yaml")]);

        Assert.Contains(catalog.Warnings, w => w.Field == "spec.syncWindows[0].syncOverrun" && w.Line == 10);
    }

    private static bool Verdict(string? expected, string? actual) =>
        expected is null ? actual is null : actual is not null && actual.StartsWith(expected, StringComparison.Ordinal);

    private static (AppProject Project, Application App) Load(string windows)
    {
        var catalog = Loader.Load([(Project(windows), "projects.yaml"), ("""
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web}
            spec:
              project: web
              source: {repoURL: 'https://github.com/acme/web', path: deploy, targetRevision: main}
              destination: {server: 'https://kubernetes.default.svc', namespace: prod}
            """, "web.yaml")]);
        var app = catalog.FindApplication("web")!;
        return (catalog.ProjectOf(app), app);
    }

    private static string Project(string windows) => $"""
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata: {"{"}name: web{"}"}
        spec:
          sourceRepos: ['*']
          destinations:
          - {"{"}server: '*', namespace: '*'{"}"}
          clusterResourceWhitelist: [{"{"}group: '*', kind: '*'{"}"}]
          syncWindows:
        {Indent(windows)}
        """;

    private static string Indent(string text) =>
        text.Length == 0 ? "    []" : string.Join('\n', text.Split('\n').Select(l => "  " + l));
}
