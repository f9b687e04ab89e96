using Millrace.Hub.Broker;

namespace Millrace.Hub.Tests.Broker;

/// <summary>The <c>mqtt-broker:</c> section: users with hashed secrets and their namespaces, every mistake at its line and column.</summary>
public sealed class MqttBrokerSectionSpecs
{
    [Fact]
    public void Users_and_their_namespaces_are_read_and_anonymous_clients_are_refused_by_default()
    {
        using var config = new AcmeBrokerConfig($"""
            mqtt-broker:
              users:
                - user: plant-03-gateway
                  secret: {AcmeBrokerConfig.Hash("detroit")}
                  topics: [acme/plant-03/#, acme/shared/recipes/+]
            """);
        var loaded = config.Load();
        Assert.False(loaded.HasErrors, string.Join("\n", loaded.Errors.Select(e => e.Format(config.Directory))));
        var access = loaded.Config.Get<MqttBrokerAccess>()!;
        var user = Assert.Single(access.Users);
        Assert.Equal("plant-03-gateway", user.UserName);
        Assert.Equal(["acme/plant-03/#", "acme/shared/recipes/+"], user.AllowedFilters);
        Assert.Empty(access.AnonymousTopics);
        Assert.True(access.IsRestricted);
    }

    [Fact]
    public void A_password_written_in_clear_is_refused_at_its_line_and_column_and_never_echoed()
    {
        using var config = new AcmeBrokerConfig("""
            mqtt-broker:
              users:
                - user: plant-01-gateway
                  secret: hunter2-lyon
                  topics: [acme/plant-01/#]
            """);
        var all = config.Load().Errors.Select(e => e.Format(config.Directory)).ToList();
        var error = Assert.Single(all);
        Assert.Contains("mqtt-broker.yaml:4:15: ", error);
        Assert.Contains("must be a hash made by 'millrace broker --hash-password'", error);
        Assert.Contains("a password is never written in configuration", error);
        Assert.DoesNotContain("hunter2", error);
    }

    [Fact]
    public void Invalid_filters_missing_fields_unknown_keys_and_repeated_users_are_each_reported()
    {
        using var config = new AcmeBrokerConfig($"""
            mqtt-broker:
              users:
                - user: a
                  secret: {AcmeBrokerConfig.Hash("x")}
                  topics: [acme/plant-01/#/more]
                - user: b
                  secret: {AcmeBrokerConfig.Hash("x")}
                - user: c
                  secret: {AcmeBrokerConfig.Hash("x")}
                  topics: [acme/c/#]
                  plant: plant-01
                - user: c
                  secret: {AcmeBrokerConfig.Hash("x")}
                  topics: [acme/c/#]
              anonymous-topics: [acme/+x]
            """);
        var errors = config.Load().Errors.Select(e => e.Format(config.Directory)).ToList();
        Assert.Contains(errors, e => e.Contains("mqtt-broker.yaml:5:16: ", StringComparison.Ordinal) && e.Contains("'acme/plant-01/#/more' is not a valid MQTT topic filter"));
        Assert.Contains(errors, e => e.Contains("mqtt-broker.yaml:6:7: ", StringComparison.Ordinal) && e.Contains("topics"));
        Assert.Contains(errors, e => e.Contains("mqtt-broker.yaml:11:7: ", StringComparison.Ordinal) && e.Contains("plant"));
        Assert.Contains(errors, e => e.Contains("mqtt-broker.yaml:12:13: ", StringComparison.Ordinal) && e.Contains("duplicate MQTT user id 'c'"));
        Assert.Contains(errors, e => e.Contains("mqtt-broker.yaml:15:22: ", StringComparison.Ordinal) && e.Contains("'acme/+x'"));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Without_the_section_the_broker_is_open()
    {
        using var config = new AcmeBrokerConfig("# no mqtt-broker section\n");
        Assert.Null(config.Load().Config.Get<MqttBrokerAccess>());
        Assert.False(MqttBrokerAccess.Open.IsRestricted);
    }
}
