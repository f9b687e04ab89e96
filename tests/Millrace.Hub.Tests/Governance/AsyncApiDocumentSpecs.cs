using System.Net;
using System.Text.Json;
using Millrace.Hub.Governance;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Tests.Governance;

/// <summary>
/// The catalogue as AsyncAPI 3.0: structurally checked (version, every <c>$ref</c> resolves, operations point at
/// their channel's messages, every payload is a JSON Schema our validator accepts against the 2020-12 metaschema),
/// and served by a real hub at <c>GET /catalog/asyncapi.json</c>.
/// </summary>
public sealed class AsyncApiDocumentSpecs
{
    [Fact]
    public void The_acme_catalogue_is_a_structurally_valid_AsyncAPI_3_document()
    {
        var definitions = AcmeCatalogue.Load();
        using var doc = JsonDocument.Parse(AsyncApiDocument.Write(CatalogMessage.Collect(definitions, null), "Acme", "127.0.0.1:5080"));
        AssertStructurallyValid(doc.RootElement, definitions.Count);

        var root = doc.RootElement;
        var deprecated = root.GetProperty("channels").GetProperty("com.acme.production.count.reported.v0");
        Assert.Equal("com.acme.production.count.reported.v0", deprecated.GetProperty("address").GetString());
        Assert.Equal(("deprecated", "2027-03-31", "mes-team", "production"),
            (deprecated.GetProperty("x-millrace-lifecycle").GetString(), deprecated.GetProperty("x-millrace-sunset").GetString(),
             deprecated.GetProperty("x-millrace-owner").GetString(), deprecated.GetProperty("x-millrace-domain").GetString()));
        Assert.Contains(deprecated.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == "lifecycle:deprecated");
        var operations = root.GetProperty("operations");
        Assert.Equal(["lyon-packaging-gateway"], operations.GetProperty("com.acme.production.count.reported.v0.send")
            .GetProperty("x-millrace-producers").EnumerateArray().Select(e => e.GetString()));
        // nobody may send a retired type; its history can still be read
        Assert.False(operations.TryGetProperty("com.acme.quality.inspection.failed.v0.send", out _));
        Assert.True(operations.TryGetProperty("com.acme.quality.inspection.failed.v0.receive", out _));
    }

    [Fact]
    public async Task The_hub_serves_the_catalogue_with_the_registered_schema_versions()
    {
        var definitions = AcmeCatalogue.Load();
        string dir = Path.Combine(Path.GetTempPath(), "millrace-asyncapi", Guid.NewGuid().ToString("n"));
        await using var hub = await HubHost.StartAsync(new HubOptions
        {
            Url = "http://127.0.0.1:0",
            DataDirectory = dir,
            LogPartitions = 2,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        }, HubFixture.Catalog, schemas: definitions);
        using var http = new HttpClient { BaseAddress = hub.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync("/catalog/asyncapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        AssertStructurallyValid(doc.RootElement, definitions.Count);
        var message = doc.RootElement.GetProperty("components").GetProperty("messages").GetProperty("com.acme.production.completed.v1");
        Assert.Equal(1, message.GetProperty("x-millrace-schema-version").GetInt32());
        Assert.Equal("https://millrace.dev/schemas/com.acme.production.completed.v1/1", message.GetProperty("x-millrace-schema-uri").GetString());
        Assert.Equal(hub.BaseAddress.Authority, doc.RootElement.GetProperty("servers").GetProperty("hub").GetProperty("host").GetString());
        Assert.Equal(EventAdmissionVerdict.Retired, hub.Catalog.Admit("com.acme.quality.inspection.failed.v0").Verdict);
    }

    private static void AssertStructurallyValid(JsonElement root, int types)
    {
        Assert.Equal("3.0.0", root.GetProperty("asyncapi").GetString());
        var info = root.GetProperty("info");
        Assert.False(string.IsNullOrEmpty(info.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(info.GetProperty("version").GetString()));
        foreach (var server in root.GetProperty("servers").EnumerateObject())
        {
            Assert.False(string.IsNullOrEmpty(server.Value.GetProperty("host").GetString()));
            Assert.False(string.IsNullOrEmpty(server.Value.GetProperty("protocol").GetString()));
        }
        // every reference anywhere in the document resolves to an object
        foreach (var (at, pointer) in References(root, ""))
            Assert.True(Resolve(root, pointer) is { ValueKind: JsonValueKind.Object }, $"{at}: $ref '{pointer}' does not resolve");

        var channels = root.GetProperty("channels");
        Assert.Equal(types, channels.EnumerateObject().Count());
        foreach (var channel in channels.EnumerateObject())
            Assert.NotEmpty(channel.Value.GetProperty("messages").EnumerateObject());
        foreach (var operation in root.GetProperty("operations").EnumerateObject())
        {
            var op = operation.Value;
            Assert.Contains(op.GetProperty("action").GetString(), (string[])["send", "receive"]);
            string channel = op.GetProperty("channel").GetProperty("$ref").GetString()!;
            // the spec requires an operation's messages to be messages of its channel
            foreach (var m in op.GetProperty("messages").EnumerateArray())
                Assert.StartsWith(channel + "/messages/", m.GetProperty("$ref").GetString());
        }
        var messages = root.GetProperty("components").GetProperty("messages");
        Assert.Equal(types, messages.EnumerateObject().Count());
        foreach (var message in messages.EnumerateObject())
        {
            Assert.Matches("^[a-zA-Z0-9.\\-_]+$", message.Name); // component keys
            var payload = message.Value.GetProperty("payload");
            Assert.Equal(AsyncApiDocument.JsonSchemaFormat, payload.GetProperty("schemaFormat").GetString());
            var problems = SchemaText.Check(payload.GetProperty("schema"));
            Assert.True(problems.Count == 0, $"{message.Name}: {string.Join("; ", problems)}");
        }
    }

    private static IEnumerable<(string At, string Pointer)> References(JsonElement e, string at)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                // payload schemas keep their own (schema-internal) $refs, which resolve within the schema
                if (p.Name == "schema") continue;
                if (p.Name == "$ref") yield return (at, p.Value.GetString()!);
                else foreach (var r in References(p.Value, at + "/" + p.Name)) yield return r;
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in e.EnumerateArray())
                foreach (var r in References(item, at + "/" + i++)) yield return r;
        }
    }

    private static JsonElement? Resolve(JsonElement root, string pointer)
    {
        if (!pointer.StartsWith("#/", StringComparison.Ordinal)) return null;
        var current = root;
        foreach (var raw in pointer[2..].Split('/'))
        {
            var token = raw.Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(token, out current)) return null;
        }
        return current;
    }
}
