using System.Net;
using Ferry.Functions;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Local;

/// <summary>
/// The local host's HTTP side: Kestrel on loopback routing the function app's HTTP routes (<see cref="FunctionRoutes"/>) to the same
/// function classes the worker runs, each invocation with a new instance from the function services, as the worker does.
/// </summary>
internal static class LocalWebApp
{
    /// <summary>Creates the web app; <paramref name="functions"/> resolves what the function classes take.</summary>
    public static WebApplication Create(IServiceProvider functions, int port, IPAddress? address = null, Func<string>? metricsText = null, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(functions);

        // The empty builder reads no appsettings or environment: everything comes from the arguments.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address ?? IPAddress.Loopback, port);
        });
        builder.Services.AddRoutingCore();
        if (configureLogging is not null)
        {
            configureLogging(builder.Logging);
        }
        else
        {
            ConsoleLogging(builder.Logging);
        }

        var app = builder.Build();
        app.MapPost("/" + FunctionRoutes.GitHubWebhook, Invoke<GitHubWebhookFunction>(functions,
            (f, context) => f.RunAsync(context.Request, context.RequestAborted)));
        app.MapGet("/" + FunctionRoutes.Apps, Invoke<StatusFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "name"), context.RequestAborted)));
        app.MapGet("/" + FunctionRoutes.ResourceTree, Invoke<ResourceTreeFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "name") ?? string.Empty, context.RequestAborted)));
        app.MapGet("/" + FunctionRoutes.Resource, Invoke<ResourceFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "name") ?? string.Empty, context.RequestAborted)));
        app.MapPost("/" + FunctionRoutes.AppAction, Invoke<AppActionFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "name") ?? string.Empty, RouteValue(context, "action") ?? string.Empty, context.RequestAborted)));
        app.MapGet("/" + FunctionRoutes.Badge, Invoke<BadgeFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "name") ?? string.Empty, context.RequestAborted)));
        app.MapGet("/" + FunctionRoutes.StatusPage, Invoke<StatusPageFunction>(functions,
            (f, context) => f.RunAsync(context.Request, RouteValue(context, "page"), context.RequestAborted)));
        if (metricsText is not null)
        {
            // Local only: in Azure, metrics go to Application Insights.
            app.MapGet("/metrics", () => Results.Text(metricsText(), "text/plain; version=0.0.4; charset=utf-8"));
        }

        return app;
    }

    /// <summary>One-line console logs, quiet ASP.NET Core.</summary>
    public static void ConsoleLogging(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.Hosting", LogLevel.Warning)
            // A failure to start (a busy port) is reported once by serve, not as Kestrel's and the host's logged stack traces.
            .AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
    }

    /// <summary>The address a started app listens on (useful with port 0).</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the web app is not started");
        return new Uri(first.EndsWith('/') ? first : first + "/");
    }

    // One invocation: a new function instance from a scope, as the worker makes one per invocation, and its result executed on the response.
    private static RequestDelegate Invoke<TFunction>(IServiceProvider functions, Func<TFunction, HttpContext, Task<IResult>> run)
        where TFunction : class =>
        async context =>
        {
            await using var scope = functions.CreateAsyncScope();
            var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);
            var result = await run(function, context);
            await result.ExecuteAsync(context);
        };

    private static string? RouteValue(HttpContext context, string name) => context.Request.RouteValues[name] as string;
}
