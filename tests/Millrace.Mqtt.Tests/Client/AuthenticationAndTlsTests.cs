using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Millrace.Mqtt.Client;
using Millrace.Mqtt.Tests.Peers;
using static Millrace.Mqtt.Tests.Client.ClientTestSupport;

namespace Millrace.Mqtt.Tests.Client;

/// <summary>User name/password (mosquitto_passwd) and TLS (self-signed certificate) against mosquitto.</summary>
public sealed class AuthenticationAndTlsTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoSettings
    {
        AllowAnonymous = false,
        Users = new Dictionary<string, string> { ["press-line"] = "s3cret!" },
        Tls = true,
    });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private MqttClientOptions Authenticated(MqttProtocolVersion version) => Options(_broker, version) with
    {
        UserName = "press-line", Password = Bytes("s3cret!"),
    };

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task The_right_password_is_accepted(MqttProtocolVersion version)
    {
        await using var client = await ConnectAsync(Authenticated(version));
        string topic = Unique("auth");
        await client.SubscribeAsync(topic, MqttQualityOfService.AtLeastOnce);
        await client.PublishAsync(topic, Bytes("ok"), MqttQualityOfService.AtLeastOnce);
        Assert.Equal("ok", Assert.Single(await ReceiveAsync(client, 1)).PayloadAsString());
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, MqttReasonCode.NotAuthorized)]
    [InlineData(MqttProtocolVersion.V500, MqttReasonCode.NotAuthorized)]
    public async Task A_wrong_password_is_refused_with_the_CONNACK_reason(MqttProtocolVersion version, MqttReasonCode expected)
    {
        await using var client = new MqttClient(Authenticated(version) with { Password = Bytes("guess") });
        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());
        Assert.Equal(expected, refused.ReasonCode);
        Assert.Contains(expected.ToString(), refused.Message);
        Assert.False(client.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task An_anonymous_client_is_refused(MqttProtocolVersion version)
    {
        await using var client = new MqttClient(Options(_broker, version));
        var refused = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectAsync());
        Assert.Equal(MqttReasonCode.NotAuthorized, refused.ReasonCode);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Connects_over_TLS_when_the_servers_certificate_is_trusted(MqttProtocolVersion version)
    {
        var expected = _broker.Certificate!;
        await using var client = await ConnectAsync(Authenticated(version) with
        {
            Port = _broker.TlsPort,
            Tls = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                // Trust exactly the test broker's self-signed certificate.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString(),
            },
        });
        string topic = Unique("tls");
        await client.SubscribeAsync(topic, MqttQualityOfService.ExactlyOnce);
        await client.PublishAsync(topic, Bytes("encrypted"), MqttQualityOfService.ExactlyOnce);
        Assert.Equal("encrypted", Assert.Single(await ReceiveAsync(client, 1)).PayloadAsString());
    }

    [Fact]
    public async Task Refuses_a_TLS_server_whose_certificate_it_does_not_trust()
    {
        await using var client = new MqttClient(Authenticated(MqttProtocolVersion.V500) with
        {
            Port = _broker.TlsPort,
            Tls = new SslClientAuthenticationOptions { TargetHost = "localhost" }, // default validation: self-signed is untrusted
        });
        var failure = await Assert.ThrowsAsync<MqttClientException>(() => client.ConnectAsync());
        Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.InnerException);
    }
}
