using Ferry.Cli.Local;
using Ferry.Core.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Functions.Tests.TestSupport;

/// <summary>The local host's web app (Kestrel on 127.0.0.1, port 0) routing to the function classes, over a file status store in a temp folder.</summary>
internal sealed class TestWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _state;
    private readonly ServiceProvider _functions;

    private TestWebApp(WebApplication app, TempDirectory state, ServiceProvider functions, FileStatusStore store, Uri baseAddress)
    {
        _app = app;
        _state = state;
        _functions = functions;
        Store = store;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public static DateTimeOffset Now { get; } = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public FileStatusStore Store { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the app; <paramref name="configure"/> adds services the function classes take (the webhook intake, say).</summary>
    public static async Task<TestWebApp> StartAsync(IEnumerable<AppStatus>? seed = null, Action<IServiceCollection>? configure = null)
    {
        var state = new TempDirectory();
        var store = new FileStatusStore(state.Path);
        foreach (var status in seed ?? [])
        {
            await store.SaveAsync(status, CancellationToken.None);
        }

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IStatusStore>(store)
            .AddSingleton<TimeProvider>(new FixedTimeProvider(Now));
        configure?.Invoke(services);
        var functions = services.BuildServiceProvider();
        var app = LocalWebApp.Create(functions, 0, configureLogging: _ => { });
        await app.StartAsync();
        return new TestWebApp(app, state, functions, store, LocalWebApp.BaseAddress(app));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _functions.DisposeAsync();
        _state.Dispose();
    }
}
