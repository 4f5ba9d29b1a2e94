using Ferry.Core.Status;
using Ferry.Functions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Ferry.Functions.Tests.TestSupport;

/// <summary>The real custom handler on Kestrel at 127.0.0.1 with a free port, over a file status store in a temp folder.</summary>
internal sealed class TestWebApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _state;

    private TestWebApp(WebApplication app, TempDirectory state, FileStatusStore store, Uri baseAddress)
    {
        _app = app;
        _state = state;
        Store = store;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public static DateTimeOffset Now { get; } = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public FileStatusStore Store { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    /// <summary>Starts the app; <paramref name="configure"/> adds handlers to the options.</summary>
    public static async Task<TestWebApp> StartAsync(IEnumerable<AppStatus>? seed = null, Func<FerryWebAppOptions, FerryWebAppOptions>? configure = null)
    {
        var state = new TempDirectory();
        var store = new FileStatusStore(state.Path);
        foreach (var status in seed ?? [])
        {
            await store.SaveAsync(status, CancellationToken.None);
        }

        var options = new FerryWebAppOptions
        {
            StatusStore = store,
            Port = 0,
            TimeProvider = new FixedTimeProvider(Now),
            ConfigureLogging = _ => { },
        };
        var app = FerryWebApp.Create(configure is null ? options : configure(options));
        await app.StartAsync();
        return new TestWebApp(app, state, store, FerryWebApp.BaseAddress(app));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
