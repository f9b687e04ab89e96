using Millrace.Mqtt.Broker;
using Millrace.Mqtt.Packets;
using static Millrace.Mqtt.Tests.Broker.RawMqttClient;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class AuthenticationAndAclTests
{
    private static readonly MqttUserAccount[] Users =
    [
        new("plant-03", MqttSecretHash.Create("s3cret-03", iterations: 1000), ["acme/plant-03/#"]),
        new("plant-07", MqttSecretHash.Create("s3cret-07", iterations: 1000), ["acme/plant-07/#", "acme/shared/+/announcements"]),
    ];

    private static Task<MqttBroker> StartSecuredAsync() => TestBroker.StartAsync(new MqttBrokerOptions
    {
        Authenticator = new MqttPasswordAuthenticator(Users),
        Authorizer = MqttNamespaceAuthorizer.FromAccounts(Users),
    });

    [Theory]
    [InlineData(MqttProtocolVersion.V311, "plant-03", "wrong", (byte)4)]       // 3.1.1: Bad user name or password
    [InlineData(MqttProtocolVersion.V311, "nobody", "s3cret-03", (byte)4)]
    [InlineData(MqttProtocolVersion.V311, null, null, (byte)4)]
    [InlineData(MqttProtocolVersion.V500, "plant-03", "wrong", (byte)0x86)]   // 5.0: 0x86 Bad User Name or Password
    [InlineData(MqttProtocolVersion.V500, null, null, (byte)0x86)]
    public async Task Bad_credentials_are_refused_with_the_version_s_CONNACK_code_and_the_connection_is_closed(
        MqttProtocolVersion version, string? user, string? password, byte expectedOnWire)
    {
        await using var broker = await StartSecuredAsync();
        await using var client = await OpenAsync(broker.Endpoint!, version);
        var ack = await client.SendConnectAsync("c1", user: user, password: password);
        // The reader maps a 3.1.1 return code to its 5.0 equivalent; 4 ↔ 0x86.
        Assert.Equal(version == MqttProtocolVersion.V311 ? MqttConnAckPacket.ToReasonCode((MqttConnectReturnCode)expectedOnWire) : (MqttReasonCode)expectedOnWire, ack.Code);
        await client.ExpectClosedAsync();
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task Good_credentials_connect(MqttProtocolVersion version)
    {
        await using var broker = await StartSecuredAsync();
        var (client, ack) = await ConnectAsync(broker.Endpoint!, version, "c1", user: "plant-03", password: "s3cret-03");
        await using var c = client;
        Assert.Equal(MqttReasonCode.Success, ack.Code);
    }

    [Fact]
    public async Task A_3_1_1_client_without_id_asking_for_a_persistent_session_is_refused_with_identifier_rejected()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await OpenAsync(broker.Endpoint!, MqttProtocolVersion.V311);
        var ack = await client.SendConnectAsync("", cleanStart: false);
        Assert.Equal(MqttReasonCode.ClientIdentifierNotValid, ack.Code); // return code 2 on the wire
    }

    [Fact]
    public async Task A_5_0_client_without_id_gets_an_assigned_one()
    {
        await using var broker = await TestBroker.StartAsync();
        var (client, ack) = await ConnectAsync(broker.Endpoint!, MqttProtocolVersion.V500, "");
        await using var c = client;
        Assert.StartsWith("millrace-", ack.Strings![Codec.MqttPropertyId.AssignedClientIdentifier]);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311)]
    [InlineData(MqttProtocolVersion.V500)]
    public async Task A_plant_publishes_and_subscribes_only_inside_its_namespace(MqttProtocolVersion version)
    {
        await using var broker = await StartSecuredAsync();
        var (plant3, _) = await ConnectAsync(broker.Endpoint!, version, "p3", user: "plant-03", password: "s3cret-03");
        var (plant7, _) = await ConnectAsync(broker.Endpoint!, version, "p7", user: "plant-07", password: "s3cret-07");
        await using var a = plant3;
        await using var b = plant7;
        bool v5 = version == MqttProtocolVersion.V500;
        var refused = v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.UnspecifiedError; // 3.1.1 SUBACK 0x80 reads as 0x80

        var suback = await plant7.SendAsync(o => Codec.MqttPacketWriter.WriteSubscribe(o, version, 1, default,
            [new MqttSubscription(Seq("acme/plant-07/#"), MqttQualityOfService.AtLeastOnce), new MqttSubscription(Seq("acme/#"), 0),
             new MqttSubscription(Seq("acme/plant-03/line-1/temp"), 0), new MqttSubscription(Seq("acme/+/line-1"), 0)]))
            .ContinueWith(_ => plant7.ExpectAsync(MqttPacketType.SubAck)).Unwrap();
        Assert.Equal([MqttReasonCode.GrantedQoS1, refused, refused, refused], suback.Codes);

        await plant3.PublishAsync("acme/plant-07/line-1/temp", "intrusion", MqttQualityOfService.AtLeastOnce, packetId: 1);
        Assert.Equal(v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.Success, (await plant3.ExpectAsync(MqttPacketType.PubAck)).Code);
        await plant7.PublishAsync("acme/plant-07/line-1/temp", "own", MqttQualityOfService.AtLeastOnce, packetId: 2);
        Assert.Equal(MqttReasonCode.Success, (await plant7.ExpectAsync(MqttPacketType.PubAck)).Code);

        var delivered = await plant7.ExpectAsync(MqttPacketType.Publish);
        Assert.Equal("own", delivered.Text); // the intrusion was dropped
        Assert.Equal(1, broker.Metrics.Dropped);
    }

    [Theory]
    [InlineData("acme/plant-03/#", "acme/plant-03/#", true)]
    [InlineData("acme/plant-03/#", "acme/plant-03", true)]
    [InlineData("acme/plant-03/#", "acme/plant-03/+/temp", true)]
    [InlineData("acme/plant-03/#", "acme/+/line-1", false)]
    [InlineData("acme/plant-03/#", "acme/#", false)]
    [InlineData("acme/plant-03/#", "#", false)]
    [InlineData("acme/plant-03/#", "acme/plant-030", false)]
    [InlineData("acme/+/status", "acme/plant-03/status", true)]
    [InlineData("acme/+/status", "acme/+/status", true)]
    [InlineData("acme/+/status", "acme/#", false)]
    [InlineData("acme/+/status", "acme/plant-03/status/x", false)]
    [InlineData("#", "$SYS/broker", false)]
    public void A_namespace_covers_a_filter_only_when_every_topic_it_matches_is_inside(string allowed, string requested, bool covered)
        => Assert.Equal(covered, MqttNamespaceAuthorizer.Covers(System.Text.Encoding.UTF8.GetBytes(allowed), System.Text.Encoding.UTF8.GetBytes(requested)));

    [Fact]
    public void Secret_hashes_are_salted_and_verify_only_the_right_password()
    {
        string a = MqttSecretHash.Create("pw", 1000), b = MqttSecretHash.Create("pw", 1000);
        Assert.NotEqual(a, b);
        Assert.True(MqttSecretHash.Verify("pw"u8, a));
        Assert.False(MqttSecretHash.Verify("pW"u8, a));
        Assert.False(MqttSecretHash.Verify("pw"u8, "plain-text"));
        Assert.Throws<ArgumentException>(() => new MqttPasswordAuthenticator([new MqttUserAccount("u", "pw", [])]));
    }
}
