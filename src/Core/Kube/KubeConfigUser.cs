using System.Text;

namespace Ferry.Core.Kube;

/// <summary>A <c>users[]</c> entry of a kubeconfig: token, token file, client certificate and key, or an exec plugin; never printed with its secrets.</summary>
public sealed record KubeConfigUser
{
    /// <summary>The entry's name.</summary>
    public required string Name { get; init; }

    /// <summary>A bearer token.</summary>
    public string? Token { get; init; }

    /// <summary>Path of a file holding a bearer token (<c>tokenFile</c>).</summary>
    public string? TokenFile { get; init; }

    /// <summary>Path of a PEM client certificate.</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>PEM text of the client certificate (<c>client-certificate-data</c>, decoded).</summary>
    public string? ClientCertificateData { get; init; }

    /// <summary>Path of a PEM private key.</summary>
    public string? ClientKey { get; init; }

    /// <summary>PEM text of the private key (<c>client-key-data</c>, decoded).</summary>
    public string? ClientKeyData { get; init; }

    /// <summary>An exec credential plugin.</summary>
    public KubeExecConfig? Exec { get; init; }

    /// <summary>The kubeconfig file this entry came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Where in the file, e.g. <c>users[0].user</c>.</summary>
    public required string Field { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        // Records print every property; a token or key must never reach a log this way.
        builder.Append("Name = ").Append(Name)
            .Append(", Token = ").Append(Token is null ? "null" : "***")
            .Append(", TokenFile = ").Append(TokenFile)
            .Append(", ClientCertificate = ").Append(ClientCertificate ?? (ClientCertificateData is null ? "null" : "(data)"))
            .Append(", ClientKey = ").Append(ClientKey ?? (ClientKeyData is null ? "null" : "***"))
            .Append(", Exec = ").Append(Exec?.Command ?? "null")
            .Append(", SourceFile = ").Append(SourceFile);
        return true;
    }
}
