using Ferry.Functions.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Functions.Hosting;

/// <summary>Builds the custom handler: an ASP.NET Core app serving the status API, the page, the webhook and the host's invocations.</summary>
public static partial class FerryWebApp
{
    /// <summary>Creates the web app listening on <see cref="FerryWebAppOptions.Address"/>:<see cref="FerryWebAppOptions.Port"/>, with every route mapped.</summary>
    public static WebApplication Create(FerryWebAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The empty builder reads no appsettings or environment: everything comes from the options, so tests
        // and the Functions host see the same app.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Address, options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(options.TimeProvider);
        if (options.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging
                .AddSimpleConsole(console =>
                {
                    console.SingleLine = true;
                    console.TimestampFormat = "HH:mm:ss ";
                })
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                .AddFilter("Microsoft.Hosting", LogLevel.Warning);
        }

        var app = builder.Build();
        MapRoutes(app, options, app.Services.GetRequiredService<ILoggerFactory>());
        return app;
    }

    /// <summary>Maps Ferry's routes (<see cref="FerryRoutes"/>) onto any endpoint builder, so a local host can serve them beside its own.</summary>
    public static void MapRoutes(IEndpointRouteBuilder endpoints, FerryWebAppOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        var logger = loggerFactory.CreateLogger("Ferry.Functions.Hosting");
        var status = new StatusEndpoints(options.StatusStore, options.TimeProvider, options.CatalogReport);
        endpoints.MapGet(FerryRoutes.Page, status.PageAsync);
        endpoints.MapGet(FerryRoutes.Apps, status.ListAsync);
        endpoints.MapGet(FerryRoutes.App, status.GetAsync);
        endpoints.MapGet(FerryRoutes.Badge, status.BadgeAsync);
        if (options.MetricsText is { } metrics)
        {
            endpoints.MapGet("/metrics", () => Results.Text(metrics(), "text/plain; version=0.0.4; charset=utf-8"));
        }

        var webhook = new WebhookEndpoint(options.WebhookHandler, options.MaxWebhookBodyBytes, logger);
        endpoints.MapPost(FerryRoutes.GitHubWebhook, webhook.HandleAsync);

        var invocations = new InvocationEndpoints(options.JobHandler, options.DriftHandler, logger);
        endpoints.MapPost(FerryRoutes.SyncWorker, invocations.SyncWorkerAsync);
        endpoints.MapPost(FerryRoutes.DriftCheck, invocations.DriftCheckAsync);
    }

    /// <summary>The address a started app listens on (useful with port 0).</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the web app is not started");
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }
}
