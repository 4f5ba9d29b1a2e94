using Ferry.Core.Jobs;
using Ferry.Core.Status;
using Ferry.Core.Live;
using Ferry.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Functions.Composition;

/// <summary>Registers what the function classes take in their constructors, for the worker and for <c>ferry serve</c> alike.</summary>
internal static class FerryFunctionServices
{
    /// <summary>Adds the composition's parts as singletons.</summary>
    public static IServiceCollection AddFerryFunctions(this IServiceCollection services, FerryComposition composition)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(composition);
        services.AddSingleton(composition);
        services.AddSingleton<IStatusStore>(composition.Runtime.Store);
        services.AddSingleton<ICatalogProvider>(composition.Runtime.Catalogs);
        services.AddSingleton<IJobQueue>(composition.Queue);
        services.AddSingleton<GitHubWebhookIntake>(composition.Intake);
        services.AddSingleton<JobProcessor>(composition.Processor);
        services.AddSingleton<DriftCheck>(composition.Drift);
        services.AddSingleton<TimeProvider>(composition.Time);
        services.AddSingleton<IClusterConnector>(composition.Runtime.Clusters);
        services.AddSingleton(new AppInspector(composition.Runtime.Catalogs, composition.Runtime.Store, composition.Runtime.Clusters, composition.Runtime.ResourceCustomizations));
        if (composition.Telemetry is { } telemetry)
        {
            services.AddSingleton(telemetry);
        }

        return services;
    }
}
