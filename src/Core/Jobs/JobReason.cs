namespace Ferry.Core.Jobs;

/// <summary>Why a job was enqueued.</summary>
public enum JobReason
{
    /// <summary>A Git push webhook (<c>"webhook"</c> on the wire).</summary>
    Webhook,

    /// <summary>The periodic drift check (<c>"drift"</c>).</summary>
    Drift,

    /// <summary>A person asked, through the CLI or the API (<c>"manual"</c>).</summary>
    Manual,
}
