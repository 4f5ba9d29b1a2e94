using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ferry.Functions.Hosting;

/// <summary>
/// Who may run actions (sync, refresh, rollback) and how a request proves it. In Azure, App Service Authentication signs people in with
/// Entra ID and passes the caller as <c>X-MS-CLIENT-PRINCIPAL</c> (the front end strips any the client sent); on <c>ferry serve</c>, the
/// caller sends <c>Authorization: Bearer &lt;token&gt;</c> with the token serve was started with. Every action also needs the
/// <c>X-Requested-With</c> header and, when the browser sends an <c>Origin</c>, the page's own origin, so another site cannot post one.
/// </summary>
internal sealed class ActionAuthorization
{
    /// <summary>The header App Service Authentication sets to the signed-in caller (base64 JSON).</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The header App Service Authentication sets to the caller's name.</summary>
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>The header every action request must carry (a cross-site form cannot set it, and a cross-site script needs a CORS grant).</summary>
    public const string RequestedWithHeader = "X-Requested-With";

    private readonly byte[]? _token;
    private readonly string _howToEnable;

    private ActionAuthorization(bool appService, string? token, string howToEnable)
    {
        AppService = appService;
        _token = token is { Length: > 0 } ? Encoding.UTF8.GetBytes(token) : null;
        _howToEnable = howToEnable;
    }

    /// <summary>In Azure: the caller must be signed in through App Service Authentication.</summary>
    public static ActionAuthorization AppServiceAuthentication { get; } = new(true, null, string.Empty);

    /// <summary>True when callers are signed in by App Service Authentication; false for the bearer token of <c>ferry serve</c>.</summary>
    public bool AppService { get; }

    /// <summary>True when actions can be authorized at all (false on <c>ferry serve</c> started without a token).</summary>
    public bool Enabled => AppService || _token is not null;

    /// <summary>On <c>ferry serve</c>: callers must send this bearer token; null or empty refuses every action, saying <paramref name="howToEnable"/>.</summary>
    public static ActionAuthorization BearerToken(string? token, string howToEnable = "start the host with an API token") => new(false, token, howToEnable);

    /// <summary>Null when the request may run an action (<paramref name="caller"/> names who asked), else the refusal to answer with.</summary>
    public TextResult? Check(HttpRequest request, out string caller)
    {
        ArgumentNullException.ThrowIfNull(request);
        caller = "api";
        if (!Enabled)
        {
            return TextResult.Error(StatusCodes.Status403Forbidden, "actions disabled",
                $"actions are disabled: {_howToEnable}, and send it as 'Authorization: Bearer <token>'");
        }

        if (AppService)
        {
            if (string.IsNullOrEmpty(request.Headers[PrincipalHeader]))
            {
                return TextResult.Error(StatusCodes.Status401Unauthorized, "unauthorized", "sign in first: actions need a caller signed in through App Service Authentication");
            }

            caller = request.Headers[PrincipalNameHeader].ToString() is { Length: > 0 } name ? name : "signed-in user";
        }
        else
        {
            var header = request.Headers.Authorization.ToString();
            var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[7..].Trim()) : [];
            if (!CryptographicOperations.FixedTimeEquals(presented, _token))
            {
                return TextResult.Error(StatusCodes.Status401Unauthorized, "unauthorized", "send 'Authorization: Bearer <token>' with the API token actions were enabled with");
            }

            caller = "token holder";
        }

        if (string.IsNullOrEmpty(request.Headers[RequestedWithHeader]))
        {
            return TextResult.Error(StatusCodes.Status403Forbidden, "forbidden", $"actions need the {RequestedWithHeader} header (cross-site request protection)");
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return TextResult.Error(StatusCodes.Status403Forbidden, "forbidden", "actions are accepted only from Ferry's own page (the Origin is another site)");
        }

        return null;
    }
}
