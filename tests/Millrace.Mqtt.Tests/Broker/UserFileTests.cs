using Millrace.Mqtt.Broker;

namespace Millrace.Mqtt.Tests.Broker;

public sealed class UserFileTests
{
    [Fact]
    public void The_users_file_yields_accounts_and_names_each_bad_line()
    {
        string hash = MqttSecretHash.Create("pw", 1000);
        string text = $"""
            # plants
            plant-03  {hash}  acme/plant-03/#,acme/shared/announcements

            plant-07  password-in-clear  acme/plant-07/#
            plant-09  {hash}  acme/plant-09/#x
            plant-03  {hash}  acme/#
            lonely
            """;
        var users = MqttUserFile.Parse(text, "mqtt-users.txt", out var errors);
        var user = Assert.Single(users);
        Assert.Equal("plant-03", user.UserName);
        Assert.Equal(["acme/plant-03/#", "acme/shared/announcements"], user.AllowedFilters);
        Assert.Equal(4, errors.Count);
        Assert.StartsWith("mqtt-users.txt:4: user 'plant-07': a secret hash must look like", errors[0]);
        Assert.Equal("mqtt-users.txt:5: user 'plant-09': 'acme/plant-09/#x' is not a valid topic filter", errors[1]);
        Assert.Equal("mqtt-users.txt:6: user 'plant-03' is listed twice", errors[2]);
        Assert.Equal("mqtt-users.txt:7: expected 'user secret-hash filters', found 1 field(s)", errors[3]);
    }
}
