namespace Ferry.Core.Webhooks;

/// <summary>A delivery that could not be read (answer 400); the error says why, without echoing the payload.</summary>
public sealed record GitHubMalformedEvent(string Error) : GitHubEvent;
