namespace Ferry.Core.Webhooks;

/// <summary>The request headers GitHub sends with every webhook delivery.</summary>
public static class GitHubHeaders
{
    /// <summary>The event name, such as <c>push</c> or <c>ping</c>.</summary>
    public const string Event = "X-GitHub-Event";

    /// <summary>A GUID that identifies one delivery (redeliveries reuse it).</summary>
    public const string Delivery = "X-GitHub-Delivery";

    /// <summary>The HMAC-SHA256 of the raw body, <c>sha256=&lt;hex&gt;</c>.</summary>
    public const string Signature256 = "X-Hub-Signature-256";
}
