namespace Ferry.Core.Webhooks;

/// <summary>An event Ferry does not act on (answer 202 and do nothing).</summary>
public sealed record GitHubIgnoredEvent(string EventName) : GitHubEvent;
