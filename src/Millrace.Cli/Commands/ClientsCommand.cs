using System.CommandLine;
using Millrace.Hub.Api.Clients;
using Millrace.Hub.Api.Identity;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace clients add|rotate|revoke|list</c>: partner API keys of clients declared in <c>api-clients:</c>, kept
/// hashed in the data folder's <c>hub.db</c> (a running hub sees changes within a few seconds). A new key is printed
/// once and cannot be shown again. <c>millrace token --client id</c> issues a development JWT signed by the data
/// folder's development key, which a hub trusts only with <c>api-identity: dev-tokens: true</c>.
/// Exit codes: 0 done, 1 refused (unknown client), 2 usage or configuration error.
/// </summary>
internal static class ClientsCommand
{
    public static Command Create()
    {
        var command = new Command("clients", "Issue, rotate, revoke and list partner API keys of declared API clients.");
        command.Add(Sub("add", "Issue a new API key for a client (printed once).", (store, id, grace) => Print(store.Issue(id))));
        command.Add(Sub("rotate", "Issue a new key; the client's current keys stay valid for --grace (default 24h).", (store, id, grace) => Print(store.Rotate(id, grace))));
        command.Add(Sub("revoke", "Revoke every key of a client now.", (store, id, grace) =>
        {
            Console.Out.WriteLine($"revoked {store.Revoke(id)} key(s) of {id}");
            return 0;
        }));
        var data = new Option<string>("--data") { Description = "Data folder holding hub.db.", DefaultValueFactory = _ => ".millrace" };
        var list = new Command("list", "List keys (ids, clients, expiry; never secrets).") { data };
        list.SetAction(parse =>
        {
            using var store = ApiKeyStore.Open(parse.GetValue(data)!);
            foreach (var k in store.List())
                Console.Out.WriteLine($"{k.KeyId}  {k.ClientId,-24} created {k.CreatedAt:u}  expires {(k.ExpiresAt is { } e ? e.ToString("u") : "never"),-20} {(k.Revoked ? "revoked" : "")}");
            return 0;
        });
        command.Add(list);
        return command;
    }

    private static int Print(string key)
    {
        Console.Out.WriteLine(key);
        Console.Error.WriteLine("store this key now: it is kept only as a hash and cannot be shown again");
        return 0;
    }

    private static Command Sub(string name, string description, Func<ApiKeyStore, string, TimeSpan, int> act)
    {
        var client = new Argument<string>("client") { Description = "A client id declared in api-clients:." };
        var config = new Option<string?>("--config") { Description = "Configuration folder (default: the usual lookup)." };
        var data = new Option<string>("--data") { Description = "Data folder holding hub.db.", DefaultValueFactory = _ => ".millrace" };
        var grace = new Option<string>("--grace") { Description = "How long replaced keys keep working (rotate).", DefaultValueFactory = _ => "24h" };
        var command = new Command(name, description) { client, config, data, grace };
        command.SetAction(parse =>
        {
            string id = parse.GetValue(client)!;
            if (!CliDuration.TryParse(parse.GetValue(grace)!, out var graceSpan))
            {
                Console.Error.WriteLine($"--grace '{parse.GetValue(grace)}' is not a duration (e.g. 30m, 24h)");
                return 2;
            }
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 2;
            if (loaded.Config.Get<ApiSettings>()?.Find(id) is null)
            {
                Console.Error.WriteLine($"client '{id}' is not declared in the configuration's api-clients: section");
                return 1;
            }
            using var store = ApiKeyStore.Open(parse.GetValue(data)!);
            return act(store, id, graceSpan);
        });
        return command;
    }
}

/// <summary><c>millrace token --client id</c>: a development access token (see <see cref="ClientsCommand"/>).</summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var client = new Option<string>("--client") { Description = "A client id declared in api-clients:.", Required = true };
        var config = new Option<string?>("--config") { Description = "Configuration folder (issuer and audience from api-identity:)." };
        var data = new Option<string>("--data") { Description = "Data folder holding the development signing key.", DefaultValueFactory = _ => ".millrace" };
        var lifetime = new Option<string>("--lifetime") { Description = "Token lifetime.", DefaultValueFactory = _ => "1h" };
        var command = new Command("token", "Issue a development JWT for a declared client (trusted only by hubs with api-identity: dev-tokens: true).")
            { client, config, data, lifetime };
        command.SetAction(parse =>
        {
            if (!CliDuration.TryParse(parse.GetValue(lifetime)!, out var life) || life > TimeSpan.FromDays(1))
            {
                Console.Error.WriteLine("--lifetime must be a duration of at most 24h");
                return 2;
            }
            var loaded = ConfigLocator.Load(parse.GetValue(config) ?? ConfigLocator.DefaultDirectory(), Console.Error);
            if (loaded is null) return 2;
            var settings = loaded.Config.Get<ApiSettings>() ?? new ApiSettings();
            string id = parse.GetValue(client)!;
            if (settings.Find(id) is null)
            {
                Console.Error.WriteLine($"client '{id}' is not declared in the configuration's api-clients: section");
                return 1;
            }
            if (!settings.TrustDevelopmentTokens)
                Console.Error.WriteLine("warning: api-identity: dev-tokens is not true, so the hub will refuse this token");
            var key = DevelopmentTokens.LoadOrCreateKey(parse.GetValue(data)!);
            Console.Out.WriteLine(DevelopmentTokens.Issue(key, settings.Issuer, settings.Audience, id, null, life));
            return 0;
        });
        return command;
    }
}
