using Ferry.Core.Health;
using Ferry.Core.Status;

namespace Ferry.Functions.Web;

/// <summary>The frozen mapping from sync, health and operation states to labels, tones and icons, shared by the page and the badge.</summary>
internal static class StatusVisuals
{
    // Icons are drawn on a 16x16 box with currentColor so the tone's CSS colour applies.
    private const string CheckIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M4.6 8.3l2.2 2.2 4.6-4.8" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>""";
    private const string ArrowUpIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M8 11.8V4.6M4.9 7.5L8 4.4l3.1 3.1" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>""";
    private const string QuestionIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M6 6.2a2 2 0 1 1 2.9 1.8c-.6.3-.9.7-.9 1.3v.4" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/><circle cx="8" cy="11.9" r="1" fill="#fff"/></svg>""";
    private const string HeartIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 14.2S1.3 10.1 1.3 5.6A3.4 3.4 0 0 1 8 4.2a3.4 3.4 0 0 1 6.7 1.4c0 4.5-6.7 8.6-6.7 8.6z" fill="currentColor"/></svg>""";
    private const string BrokenHeartIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M7.4 3.8L6.3 7l2.3 1.4-1.3 3.4.7-2.6L5.6 7.6l.9-3.9A3.4 3.4 0 0 0 1.3 5.6c0 4.5 6.7 8.6 6.7 8.6s6.7-4.1 6.7-8.6A3.4 3.4 0 0 0 8.9 3.3z" fill="currentColor"/></svg>""";
    private const string SpinnerIcon = """<svg class="icon icon-spin" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-opacity=".25" stroke-width="2.4"/><path d="M8 2a6 6 0 0 1 6 6" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>""";
    private const string PauseIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M6.3 5v6M9.7 5v6" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/></svg>""";
    private const string GhostIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1.5a5.3 5.3 0 0 0-5.3 5.3v7.7l1.8-1.3 1.7 1.3L8 13.2l1.8 1.3 1.7-1.3 1.8 1.3V6.8A5.3 5.3 0 0 0 8 1.5z" fill="currentColor"/><circle cx="6.1" cy="6.8" r="1" fill="#fff"/><circle cx="9.9" cy="6.8" r="1" fill="#fff"/></svg>""";
    private const string CrossIcon = """<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="currentColor"/><path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/></svg>""";

    public static StatusVisual Of(SyncStatusCode status) => status switch
    {
        SyncStatusCode.Synced => new("Synced", "green", CheckIcon),
        SyncStatusCode.OutOfSync => new("OutOfSync", "amber", ArrowUpIcon),
        _ => new("Unknown", "grey", QuestionIcon),
    };

    public static StatusVisual Of(HealthStatusCode status) => status switch
    {
        HealthStatusCode.Healthy => new("Healthy", "green", HeartIcon),
        HealthStatusCode.Progressing => new("Progressing", "blue", SpinnerIcon),
        HealthStatusCode.Degraded => new("Degraded", "red", BrokenHeartIcon),
        HealthStatusCode.Suspended => new("Suspended", "purple", PauseIcon),
        HealthStatusCode.Missing => new("Missing", "grey", GhostIcon),
        _ => new("Unknown", "grey", QuestionIcon),
    };

    public static StatusVisual Of(OperationPhase phase) => phase switch
    {
        OperationPhase.Succeeded => new("Succeeded", "green", CheckIcon),
        OperationPhase.Running => new("Running", "blue", SpinnerIcon),
        OperationPhase.Failed => new("Failed", "red", CrossIcon),
        _ => new("Error", "red", CrossIcon),
    };

    /// <summary>The tone of an app as a whole: the most urgent of its health, sync status and last operation.</summary>
    public static string ToneOf(AppStatus status)
    {
        if (status.Health == HealthStatusCode.Degraded || status.Operation?.Phase is OperationPhase.Failed or OperationPhase.Error)
        {
            return "red";
        }

        if (status.SyncStatus == SyncStatusCode.OutOfSync)
        {
            return "amber";
        }

        return status.Health switch
        {
            HealthStatusCode.Progressing => "blue",
            HealthStatusCode.Suspended => "purple",
            HealthStatusCode.Healthy when status.SyncStatus == SyncStatusCode.Synced => "green",
            _ => "grey",
        };
    }
}
