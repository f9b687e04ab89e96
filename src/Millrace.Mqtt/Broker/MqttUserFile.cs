namespace Millrace.Mqtt.Broker;

/// <summary>
/// Reads broker users from a text file (by default <c>mqtt-users.txt</c> in the configuration folder), one user a line:
/// <code>
/// # user      secret hash (millrace broker --hash-password)         namespace filters (comma-separated)
/// plant-03    pbkdf2-sha256$600000$Base64Salt$Base64Hash             acme/plant-03/#
/// </code>
/// Blank lines and lines starting with '#' are ignored. Only hashes are kept in the file, never passwords.
/// </summary>
public static class MqttUserFile
{
    /// <summary>The file name looked for in a configuration folder.</summary>
    public const string DefaultFileName = "mqtt-users.txt";

    /// <summary>Parses the file's text; every problem is reported as <c>file:line: message</c> in <paramref name="errors"/>.</summary>
    public static IReadOnlyList<MqttUserAccount> Parse(string text, string fileName, out IReadOnlyList<string> errors)
    {
        var users = new List<MqttUserAccount>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            string where = $"{fileName}:{i + 1}";
            if (fields.Length != 3)
            {
                problems.Add($"{where}: expected 'user secret-hash filters', found {fields.Length} field(s)");
                continue;
            }
            if (!MqttSecretHash.TryParse(fields[1], out _, out _, out _, out var hashError))
            {
                problems.Add($"{where}: user '{fields[0]}': {hashError}");
                continue;
            }
            var filters = fields[2].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var bad = filters.FirstOrDefault(f => Topics.MqttTopic.ValidateFilter(System.Text.Encoding.UTF8.GetBytes(f), allowShared: false) != Topics.MqttTopicFilterStatus.Valid);
            if (bad is not null)
            {
                problems.Add($"{where}: user '{fields[0]}': '{bad}' is not a valid topic filter");
                continue;
            }
            if (!seen.Add(fields[0]))
            {
                problems.Add($"{where}: user '{fields[0]}' is listed twice");
                continue;
            }
            users.Add(new MqttUserAccount(fields[0], fields[1], filters));
        }
        errors = problems;
        return users;
    }
}
