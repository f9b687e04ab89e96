using System.Security.Cryptography;
using System.Text;

namespace Millrace.Mqtt.Broker;

/// <summary>
/// Keeps each session in its own file under a directory (<see cref="MqttStoredSessionFormat"/>, written to a temporary file and renamed
/// so a crash leaves the old or the new snapshot, never half of one). File names are the SHA-256 of the client id,
/// so any client id is safe on any file system. A file that cannot be read is skipped and reported through
/// <see cref="LoadErrors"/>, never fatal.
/// </summary>
public sealed class MqttFileSessionStore : IMqttSessionStore
{
    private readonly string _directory;

    /// <summary>Uses (and creates) <paramref name="directory"/>.</summary>
    public MqttFileSessionStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Files skipped by the last <see cref="LoadAllAsync"/>, with the reason.</summary>
    public IReadOnlyList<string> LoadErrors { get; private set; } = [];

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<MqttStoredSession>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var sessions = new List<MqttStoredSession>();
        var errors = new List<string>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*.session"))
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                sessions.Add(MqttStoredSessionFormat.Read(bytes));
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                errors.Add($"{file}: {e.Message}");
            }
        }
        LoadErrors = errors;
        return sessions;
    }

    /// <inheritdoc/>
    public async ValueTask SaveAsync(MqttStoredSession session, CancellationToken cancellationToken)
    {
        string path = PathOf(session.ClientId), temp = path + ".tmp";
        await File.WriteAllBytesAsync(temp, MqttStoredSessionFormat.Write(session), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(clientId));
        return ValueTask.CompletedTask;
    }

    private string PathOf(string clientId)
        => Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientId))) + ".session");
}
