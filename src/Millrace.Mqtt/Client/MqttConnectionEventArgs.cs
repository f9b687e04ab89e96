namespace Millrace.Mqtt.Client;

/// <summary>A connection was established (CONNACK accepted).</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent, bool isReconnect) : EventArgs
{
    /// <summary>The server still had this client's session.</summary>
    public bool SessionPresent { get; } = sessionPresent;

    /// <summary>True when this is an automatic reconnection.</summary>
    public bool IsReconnect { get; } = isReconnect;
}

/// <summary>An established connection ended.</summary>
public sealed class MqttDisconnectedEventArgs(Exception? exception, MqttReasonCode? serverReason, bool willReconnect) : EventArgs
{
    /// <summary>What ended it (null after <see cref="MqttClient.DisconnectAsync"/>).</summary>
    public Exception? Exception { get; } = exception;

    /// <summary>The 5.0 DISCONNECT reason code when the server sent one.</summary>
    public MqttReasonCode? ServerReason { get; } = serverReason;

    /// <summary>Whether the client will try to reconnect.</summary>
    public bool WillReconnect { get; } = willReconnect;
}
