using Ferry.Functions.Composition;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ferry.Functions.Hosting;

/// <summary>The isolated worker: ASP.NET Core integration (the webhook reads raw request bytes) and Ferry's parts in the worker's DI.</summary>
internal static class FerryFunctionApp
{
    /// <summary>Builds the worker host over a composition the caller owns.</summary>
    public static IHost Build(string[] args, FerryComposition composition, IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(composition);
        ArgumentNullException.ThrowIfNull(settings);
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddFerryFunctions(composition);
        // In Azure, App Service Authentication signs callers in (Entra ID); actions need its principal header.
        builder.Services.AddSingleton(ActionAuthorization.AppServiceAuthentication);
        if (settings.TryGetValue(AppSettingNames.ApplicationInsightsConnectionString, out var connection) && !string.IsNullOrWhiteSpace(connection))
        {
            // The worker's own logs and dependencies go to Application Insights beside the host's request telemetry.
            builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        }

        return builder.Build();
    }

    /// <summary>The app settings the host gave the worker (its environment variables).</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentSettings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            settings[(string)entry.Key] = entry.Value as string;
        }

        return settings;
    }
}
