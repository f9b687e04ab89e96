using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Millrace.Hub.Broker;
using Millrace.Mqtt.Broker;

namespace Millrace.Cli.Commands;

/// <summary>
/// <c>millrace broker</c>: the embedded MQTT broker alone (an edge broker, or the target of load runs), on 127.0.0.1.
/// With <c>--config</c>, users and their topic namespaces come from <c>mqtt-users.txt</c> in that folder, or else from
/// the folder's <c>mqtt-broker:</c> section (hashed secrets only); without either the broker is anonymous. Persistent
/// sessions are kept in <c>hub.db</c> under <c>--data</c> (<see cref="SqliteMqttSessionStore"/>) and survive a restart.
/// <c>--hash-password</c> reads a password from standard input and prints the hash to put in that file.
/// </summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "MQTT port on 127.0.0.1.", DefaultValueFactory = _ => 1883 };
        var tlsPort = new Option<int?>("--tls-port") { Description = "MQTT over TLS port on 127.0.0.1 (needs --cert)." };
        var cert = new Option<string?>("--cert") { Description = "Server certificate with private key (.pfx) for --tls-port." };
        var certPassword = new Option<string?>("--cert-password-env") { Description = "Environment variable holding the .pfx password." };
        var config = new Option<string?>("--config") { Description = $"Configuration folder: {MqttUserFile.DefaultFileName}, or a hub configuration with an mqtt-broker: section. Default: anonymous broker." };
        var data = new Option<string>("--data") { Description = "Data folder: persistent sessions in hub.db.", DefaultValueFactory = _ => ".millrace" };
        var hash = new Option<bool>("--hash-password") { Description = "Read a password from standard input, print its hash for the users file, and exit." };
        var command = new Command("broker", "Run the embedded MQTT broker alone until Ctrl-C.") { port, tlsPort, cert, certPassword, config, data, hash };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(hash))
            {
                var password = Console.In.ReadLine();
                if (string.IsNullOrEmpty(password)) return Fail("--hash-password: no password on standard input");
                Console.Out.WriteLine(MqttSecretHash.Create(password));
                return 0;
            }
            var dataFolder = parse.GetValue(data)!;
            using var sessions = SqliteMqttSessionStore.OpenInDataDirectory(dataFolder);
            var options = new MqttBrokerOptions
            {
                Endpoint = new IPEndPoint(IPAddress.Loopback, parse.GetValue(port)),
                SessionStore = sessions,
            };
            if (parse.GetValue(tlsPort) is { } securePort)
            {
                if (parse.GetValue(cert) is not { } certFile) return Fail("--tls-port needs --cert file.pfx");
                if (!File.Exists(certFile)) return Fail($"{certFile}: no such certificate file");
                try
                {
                    string? pfxPassword = parse.GetValue(certPassword) is { } env ? Environment.GetEnvironmentVariable(env) : null;
                    var certificate = X509CertificateLoader.LoadPkcs12FromFile(certFile, pfxPassword);
                    if (!certificate.HasPrivateKey) return Fail($"{certFile}: the certificate has no private key");
                    options = options with { TlsEndpoint = new IPEndPoint(IPAddress.Loopback, securePort), ServerCertificate = certificate };
                }
                catch (CryptographicException e)
                {
                    return Fail($"{certFile}: cannot load the certificate: {e.Message}");
                }
            }
            string access = "anonymous (no users file)";
            if (parse.GetValue(config) is { } folder)
            {
                var file = Path.Combine(folder, MqttUserFile.DefaultFileName);
                if (!Directory.Exists(folder)) return Fail($"{folder}: error: no such configuration folder");
                if (!File.Exists(file))
                {
                    // No users file: the folder is a hub configuration; its mqtt-broker: section (if any) says who may connect.
                    var loaded = ConfigLocator.Load(folder, Console.Error);
                    if (loaded is null) return 1;
                    if (loaded.Config.Get<MqttBrokerAccess>() is { } yamlAccess)
                    {
                        options = yamlAccess.ApplyTo(options);
                        access = $"{yamlAccess.Users.Count} user(s) from the mqtt-broker: section of {folder}, each confined to its namespace"
                                 + (yamlAccess.AnonymousTopics.Count > 0 ? $"; anonymous clients within {string.Join(", ", yamlAccess.AnonymousTopics)}" : "; anonymous clients refused");
                    }
                }
                else
                {
                    var users = MqttUserFile.Parse(await File.ReadAllTextAsync(file, ct), file, out var errors);
                    foreach (var error in errors) Console.Error.WriteLine(error);
                    if (errors.Count > 0) return Fail($"{errors.Count} error(s) in {file}");
                    options = options with { Authenticator = new MqttPasswordAuthenticator(users), Authorizer = MqttNamespaceAuthorizer.FromAccounts(users) };
                    access = $"{users.Count} user(s) from {file}, each confined to its namespace";
                }
            }

            await using var broker = new MqttBroker(options);
            broker.Error += message => Console.Error.WriteLine($"broker: {message}");
            try
            {
                await broker.StartAsync(ct);
            }
            catch (SocketException e)
            {
                return Fail($"cannot listen: {e.Message}");
            }
            Console.Out.WriteLine($"Millrace MQTT broker on mqtt://{broker.Endpoint}" + (broker.TlsEndpoint is { } t ? $" and mqtts://{t}" : "") + $"; {access}");
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            Console.Out.WriteLine($"stopping: {broker.Metrics.MessagesReceived:N0} messages in, {broker.Metrics.MessagesSent:N0} out, " +
                $"{broker.Metrics.Dropped:N0} dropped; saving sessions");
            return 0;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 1;
    }
}
