namespace Ferry.Core.Git;

/// <summary>What people recognise a commit by: its subject line and its author's name.</summary>
public sealed record GitCommitInfo(string Subject, string Author);
