namespace Ferry.Core.Git;

/// <summary>A repository as Ferry names it (no credentials, shown to people), the URL libgit2 contacts after <c>insteadOf</c>, and its credentials.</summary>
internal sealed record GitRemote(string Url, string FetchUrl, GitCredentials? Credentials)
{
    /// <summary>The URL for logs and errors.</summary>
    public string DisplayUrl => Url;

    /// <summary>Whether libgit2 reaches the repository over SSH (<c>ssh://</c> or <c>[user@]host:path</c>).</summary>
    public bool IsSsh =>
        FetchUrl.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || FetchUrl.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase)
        || FetchUrl.StartsWith("ssh+git://", StringComparison.OrdinalIgnoreCase)
        || (!FetchUrl.Contains("://", StringComparison.Ordinal) && !FetchUrl.StartsWith('/') && FetchUrl.IndexOf(':', StringComparison.Ordinal) > 0);

    /// <summary>Whether libgit2 reads the repository from this machine's disk (its local transport, which cannot fetch shallow).</summary>
    public bool IsLocal => FetchUrl.StartsWith("file://", StringComparison.OrdinalIgnoreCase) || Path.IsPathFullyQualified(FetchUrl);

    /// <summary>The text with every secret value of the credentials replaced by <c>***</c>.</summary>
    public string Redact(string text)
    {
        foreach (var secret in Credentials?.SecretValues() ?? [])
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
