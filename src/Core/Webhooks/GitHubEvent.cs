namespace Ferry.Core.Webhooks;

/// <summary>The outcome of parsing one GitHub delivery: a ping, a push, an ignored event or a malformed payload.</summary>
public abstract record GitHubEvent;
