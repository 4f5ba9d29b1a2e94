using Ferry.Core.Jobs;
using Ferry.Core.Status;
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
        services.AddSingleton<IJobQueue>(composition.Queue);
        services.AddSingleton<GitHubWebhookIntake>(composition.Intake);
        services.AddSingleton<JobProcessor>(composition.Processor);
        services.AddSingleton<DriftCheck>(composition.Drift);
        services.AddSingleton<TimeProvider>(composition.Time);
        if (composition.Telemetry is { } telemetry)
        {
            services.AddSingleton(telemetry);
        }

        return services;
    }
}
