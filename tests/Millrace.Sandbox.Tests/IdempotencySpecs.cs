using System.Net;

namespace Millrace.Sandbox.Tests;

/// <summary>Every create honours <c>Idempotency-Key</c>: one document per key, replays marked, reuse for another fact refused.</summary>
public sealed class IdempotencySpecs : IAsyncLifetime
{
    private readonly SandboxClient _c = new();
    private const string Case = """{"asset":"plant-02/cnc-1/cnc-07","alert":"vibration-high","severity":"high","description":"vibration 11.2 mm/s"}""";

    public Task InitializeAsync() => _c.InitializeAsync();

    public Task DisposeAsync() => _c.DisposeAsync();

    [Fact]
    public async Task The_same_key_and_body_get_the_original_answer_marked_replayed_and_no_second_document()
    {
        using var first = await _c.PostAsync("eam/maintenance-cases", Case, "alert-1/case");
        using var again = await _c.PostAsync("eam/maintenance-cases", Case, "alert-1/case");
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, (await _c.GetJsonAsync("_sandbox/eam/documents?key=alert-1%2Fcase")).GetProperty("documents").GetInt32());
        Assert.Equal(1, (await _c.GetJsonAsync("eam/maintenance-cases")).GetArrayLength());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_422()
    {
        using var first = await _c.PostAsync("eam/maintenance-cases", Case, "alert-2/case");
        using var other = await _c.PostAsync("eam/maintenance-cases", Case.Replace("high", "low"), "alert-2/case");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("Idempotency-Key 'alert-2/case'", (await _c.JsonAsync(other)).GetProperty("detail").GetString());
        Assert.Equal(1, _c.Sandbox.System("eam").DocumentsWithKey("alert-2/case"));
    }

    [Fact]
    public async Task A_refused_create_keeps_no_record_so_the_key_can_be_retried()
    {
        await _c.SetBehaviourAsync("field-service", """{"failOperations":{"create-notice":422}}""");
        const string notice = """{"asset":"plant-02/cnc-1/cnc-07","case":"MC-000001","priority":"high","message":"bearing"}""";
        using var refused = await _c.PostAsync("field-service/notices", notice, "n-1");
        await _c.SetBehaviourAsync("field-service", "{}");
        using var retried = await _c.PostAsync("field-service/notices", notice, "n-1");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.Created), (refused.StatusCode, retried.StatusCode));
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, _c.Sandbox.System("field-service").DocumentsWithKey("n-1"));
    }

    [Fact]
    public async Task Creates_without_a_key_each_make_a_document()
    {
        using var a = await _c.PostAsync("eam/maintenance-cases", Case);
        using var b = await _c.PostAsync("eam/maintenance-cases", Case);
        Assert.NotEqual(await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_input_is_a_400_naming_the_member()
    {
        using var response = await _c.PostAsync("eam/maintenance-cases", """{"asset":"plant-02/cnc-1/cnc-07"}""", "bad-1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'alert' is required", (await _c.JsonAsync(response)).GetProperty("detail").GetString());
    }
}
