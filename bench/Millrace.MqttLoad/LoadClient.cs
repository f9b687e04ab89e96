using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Millrace.Mqtt;
using Millrace.Mqtt.Codec;
using Millrace.Mqtt.Packets;

namespace Millrace.MqttLoad;

/// <summary>A raw MQTT 3.1.1 client on the codec: a publisher floods one topic, a subscriber counts (and acknowledges).</summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _input;
    private readonly MqttPacketReader _reader = new(MqttDecoderOptions.ForClient(MqttProtocolVersion.V311));

    private LoadClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _input = PipeReader.Create(_stream);
    }

    public long Received;

    public static async Task<LoadClient> ConnectAsync(IPEndPoint endpoint, string clientId)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        var client = new LoadClient(socket);
        var w = new ArrayBufferWriter<byte>();
        MqttPacketWriter.WriteConnect(w, new MqttConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V311, CleanStart = true, KeepAlive = 120, ClientId = new(Encoding.UTF8.GetBytes(clientId)),
        });
        await client._stream.WriteAsync(w.WrittenMemory);
        await client.ExpectAsync(MqttPacketType.ConnAck);
        return client;
    }

    public async Task SubscribeAsync(string filter, MqttQualityOfService qos)
    {
        var w = new ArrayBufferWriter<byte>();
        MqttPacketWriter.WriteSubscribe(w, MqttProtocolVersion.V311, 1, default, [new MqttSubscription(new(Encoding.UTF8.GetBytes(filter)), qos)]);
        await _stream.WriteAsync(w.WrittenMemory);
        await ExpectAsync(MqttPacketType.SubAck);
    }

    private async Task ExpectAsync(MqttPacketType type)
    {
        while (true)
        {
            var result = await _input.ReadAsync();
            var buffer = result.Buffer;
            if (_reader.TryReadPacket(ref buffer, out var packet))
            {
                _input.AdvanceTo(buffer.Start);
                if (packet.Type != type) throw new InvalidOperationException($"expected {type}, got {packet.Type}");
                return;
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new IOException("broker closed the connection");
        }
    }

    /// <summary>Counts PUBLISHes until cancelled, answering QoS 1 with PUBACK (batched per read).</summary>
    public async Task ConsumeAsync(CancellationToken token)
    {
        var acks = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = await _input.ReadAsync(token);
                var buffer = result.Buffer;
                while (_reader.TryReadPacket(ref buffer, out var packet))
                {
                    if (packet.Type != MqttPacketType.Publish) continue;
                    Received++;
                    var p = packet.AsPublish();
                    if (p.QoS == MqttQualityOfService.AtLeastOnce)
                        MqttPacketWriter.WritePublishResponse(acks, MqttProtocolVersion.V311, new MqttPublishResponsePacket { Type = MqttPacketType.PubAck, PacketIdentifier = p.PacketIdentifier });
                }
                _input.AdvanceTo(buffer.Start, buffer.End);
                if (acks.WrittenCount > 0)
                {
                    await _stream.WriteAsync(acks.WrittenMemory, token);
                    acks.ResetWrittenCount();
                }
                if (result.IsCompleted) return;
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    /// <summary>Publishes 100-byte messages in batches until cancelled. QoS 1 keeps at most <paramref name="window"/>
    /// unacknowledged (PUBACKs read on this connection).</summary>
    public async Task<long> PublishAsync(string topic, int payloadSize, MqttQualityOfService qos, int window, CancellationToken token)
    {
        const int Batch = 32;
        var one = new ArrayBufferWriter<byte>();
        MqttPacketWriter.WritePublish(one, MqttProtocolVersion.V311, new MqttPublishPacket
        {
            Topic = new(Encoding.UTF8.GetBytes(topic)), Payload = new(new byte[payloadSize]), QoS = qos, PacketIdentifier = qos > 0 ? (ushort)1 : (ushort)0,
        });
        var template = one.WrittenSpan.ToArray();
        int idOffset = 2 + 2 + Encoding.UTF8.GetByteCount(topic) + (template[1] >= 128 ? 1 : 0); // fixed header (≤ 2 length bytes for small packets) + topic
        var batch = new byte[template.Length * Batch];
        long sent = 0, acked = 0;
        ushort id = 0;
        Task? ackReader = qos > 0 ? Task.Run(async () =>
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    var result = await _input.ReadAsync(token);
                    var buffer = result.Buffer;
                    while (_reader.TryReadPacket(ref buffer, out var packet))
                        if (packet.Type == MqttPacketType.PubAck) Interlocked.Increment(ref acked);
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    if (result.IsCompleted) return;
                }
            }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        }) : null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (qos > 0)
                {
                    while (sent - Interlocked.Read(ref acked) > window - Batch && !token.IsCancellationRequested) await Task.Delay(1, token);
                    for (int i = 0; i < Batch; i++)
                    {
                        template.CopyTo(batch, i * template.Length);
                        id = (ushort)(id == ushort.MaxValue ? 1 : id + 1);
                        BinaryPrimitives.WriteUInt16BigEndian(batch.AsSpan(i * template.Length + idOffset), id);
                    }
                }
                else if (sent == 0)
                {
                    for (int i = 0; i < Batch; i++) template.CopyTo(batch, i * template.Length);
                }
                await _stream.WriteAsync(batch, token);
                sent += Batch;
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        if (ackReader is not null) await ackReader;
        return sent;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Close(0);
        return _stream.DisposeAsync();
    }
}
