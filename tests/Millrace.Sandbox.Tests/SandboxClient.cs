using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Millrace.Sandbox.Tests;

/// <summary>A started sandbox and a plain HTTP client to it: the specs speak HTTP as the hub does.</summary>
public sealed class SandboxClient : IAsyncLifetime
{
    public RunningSandbox Sandbox { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxSystems.StartAsync();
        Http = new HttpClient { BaseAddress = Sandbox.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? key = null, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return Http.SendAsync(request);
    }

    public async Task<JsonElement> JsonAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>());

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    public async Task SetBehaviourAsync(string system, string json)
    {
        using var response = await PostAsync($"_sandbox/{system}/behaviour", json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
