using LibGit2Sharp;

namespace Ferry.Core.Git.Ssh;

/// <summary>
/// libgit2's SSH subtransport: one connection per fetch, on which <c>git-upload-pack</c> runs; libgit2 lists the references and
/// negotiates over that same stream (SSH is a stateful transport). Fetching only: pushing is refused.
/// </summary>
internal sealed class SshSmartSubtransport : SmartSubtransport
{
    private SshUploadPackStream? _stream;

    /// <inheritdoc/>
    protected override SmartSubtransportStream Action(string url, GitSmartSubtransportAction action)
    {
        switch (action)
        {
            case GitSmartSubtransportAction.UploadPackList:
                var operation = SshTransport.Operation
                    ?? throw new InvalidOperationException("SSH repositories are read through Ferry's Git cache only");
                _stream = SshUploadPackStream.Open(this, SshEndpoint.Parse(url), operation);
                return _stream;
            case GitSmartSubtransportAction.UploadPack:
                // A stateful transport negotiates on the stream that listed the references.
                return _stream ?? throw new InvalidOperationException("git-upload-pack was not started");
            default:
                throw new NotSupportedException("Ferry only fetches over SSH; pushing is not supported");
        }
    }

    /// <inheritdoc/>
    protected override void Close()
    {
        // libgit2 frees the stream itself (which closes the connection); the subtransport only forgets it.
        _stream = null;
        base.Close();
    }
}
