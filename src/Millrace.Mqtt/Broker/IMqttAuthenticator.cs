using System.Net;

namespace Millrace.Mqtt.Broker;

/// <summary>Checks the credentials of a connecting client (the CONNECT User Name and Password).</summary>
public interface IMqttAuthenticator
{
    /// <summary>Decides whether the client may connect. Called once per CONNECT, off the message hot path.</summary>
    ValueTask<MqttAuthenticationResult> AuthenticateAsync(MqttAuthenticationRequest request, CancellationToken cancellationToken);
}

/// <summary>What a client presented in CONNECT.</summary>
/// <param name="ClientId">Client Identifier (possibly assigned by the broker).</param>
/// <param name="UserName">User Name, or null when absent.</param>
/// <param name="Password">Password bytes (empty when absent).</param>
/// <param name="RemoteEndPoint">Peer address (null for in-process use).</param>
/// <param name="ProtocolVersion">3.1.1 or 5.0.</param>
public readonly record struct MqttAuthenticationRequest(string ClientId, string? UserName, ReadOnlyMemory<byte> Password,
    EndPoint? RemoteEndPoint, MqttProtocolVersion ProtocolVersion);

/// <summary>The outcome of <see cref="IMqttAuthenticator.AuthenticateAsync"/>.</summary>
public readonly record struct MqttAuthenticationResult
{
    /// <summary>True when the client may connect.</summary>
    public bool Succeeded { get; init; }

    /// <summary>On failure, the 5.0 CONNACK reason code (mapped to a 3.1.1 return code for 3.1.1 clients):
    /// <see cref="MqttReasonCode.BadUserNameOrPassword"/> or <see cref="MqttReasonCode.NotAuthorized"/>.</summary>
    public MqttReasonCode ReasonCode { get; init; }

    /// <summary>The identity the authorizer sees (normally the user name).</summary>
    public string? Identity { get; init; }

    /// <summary>Accepts the client as <paramref name="identity"/>.</summary>
    public static MqttAuthenticationResult Success(string? identity) => new() { Succeeded = true, Identity = identity };

    /// <summary>Refuses the client with <paramref name="reasonCode"/>.</summary>
    public static MqttAuthenticationResult Fail(MqttReasonCode reasonCode = MqttReasonCode.BadUserNameOrPassword) => new() { ReasonCode = reasonCode };
}
