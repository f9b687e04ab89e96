using Microsoft.Data.Sqlite;
using Millrace.Hub.Broker;
using Millrace.Mqtt;
using Millrace.Mqtt.Broker;

namespace Millrace.Hub.Tests.Broker;

/// <summary>The SQLite session store: what is saved is loaded back whole, deletes forget, a damaged row is skipped and named.</summary>
public sealed class SqliteMqttSessionStoreSpecs : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "millrace-session-store", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task A_saved_session_is_loaded_back_with_subscriptions_messages_and_QoS_2_state_after_reopening()
    {
        var message = new MqttApplicationMessage("acme/plant-01/andon/press-1"u8.ToArray(), "stop"u8, MqttQualityOfService.ExactlyOnce, false);
        var saved = new MqttStoredSession
        {
            ClientId = "press-1",
            ExpiryInterval = 3600,
            DisconnectedAt = new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero),
            Subscriptions = [new MqttStoredSubscription("acme/plant-01/#", 2, 7)],
            Messages =
            [
                new MqttStoredMessage(message, MqttQualityOfService.ExactlyOnce, false, 12, MqttDeliveryState.AwaitingCompletion, [7]),
                new MqttStoredMessage(message, MqttQualityOfService.AtLeastOnce, false, 0, MqttDeliveryState.Queued, []),
            ],
            IncomingQoS2 = [5, 9],
        };
        using (var store = SqliteMqttSessionStore.OpenInDataDirectory(_data))
        {
            await store.SaveAsync(saved with { Messages = [] }, default);
            await store.SaveAsync(saved, default); // replaces
        }

        using var reopened = SqliteMqttSessionStore.OpenInDataDirectory(_data);
        var loaded = Assert.Single(await reopened.LoadAllAsync(default));
        Assert.Equal(saved.ClientId, loaded.ClientId);
        Assert.Equal(saved.ExpiryInterval, loaded.ExpiryInterval);
        Assert.Equal(saved.DisconnectedAt, loaded.DisconnectedAt);
        Assert.Equal(saved.Subscriptions, loaded.Subscriptions);
        Assert.Equal(saved.IncomingQoS2, loaded.IncomingQoS2);
        Assert.Equal(2, loaded.Messages.Count);
        Assert.Equal((ushort)12, loaded.Messages[0].PacketIdentifier);
        Assert.Equal(MqttDeliveryState.AwaitingCompletion, loaded.Messages[0].State);
        Assert.Equal([7], loaded.Messages[0].SubscriptionIdentifiers);
        Assert.Equal("stop"u8.ToArray(), loaded.Messages[1].Message.Payload.ToArray());
        Assert.Equal("acme/plant-01/andon/press-1", loaded.Messages[1].Message.Topic);

        await reopened.DeleteAsync("press-1", default);
        Assert.Empty(await reopened.LoadAllAsync(default));
    }

    [Fact]
    public async Task A_damaged_row_is_skipped_and_reported_while_the_others_load()
    {
        using (var store = SqliteMqttSessionStore.OpenInDataDirectory(_data))
        {
            await store.SaveAsync(new MqttStoredSession { ClientId = "good", ExpiryInterval = 60 }, default);
            await store.SaveAsync(new MqttStoredSession { ClientId = "bad", ExpiryInterval = 60 }, default);
        }
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_data, SqliteMqttSessionStore.FileName)};Pooling=False"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE mqtt_sessions SET snapshot = x'00010203' WHERE client_id = 'bad'";
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        using var reopened = SqliteMqttSessionStore.OpenInDataDirectory(_data);
        Assert.Equal("good", Assert.Single(await reopened.LoadAllAsync(default)).ClientId);
        Assert.Contains("'bad'", Assert.Single(reopened.LoadErrors));
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
