using System.Security.Cryptography;

namespace Millrace.Sandbox;

/// <summary>
/// The answers a system gave to keyed creates: the same key with the same body gets the stored answer again; the same
/// key with another body is a client error (the key was reused for a different fact). Only successful answers are
/// kept, so a request that failed may be retried with its key. Callers hold the system's gate.
/// </summary>
internal sealed class IdempotencyStore
{
    private readonly Dictionary<string, Record> _records = new(StringComparer.Ordinal);

    internal sealed record Record(string Operation, byte[] BodyHash, int Status, string Body);

    public static byte[] Hash(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    public bool TryGet(string key, out Record record) => _records.TryGetValue(key, out record!);

    public void Put(string key, Record record) => _records[key] = record;
}
