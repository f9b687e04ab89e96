using Millrace.Hub.Connectors.Configuration;

namespace Millrace.Hub.Connectors.Http;

/// <summary>How a <c>kind: http</c> connector authenticates.</summary>
public enum HttpAuthScheme
{
    /// <summary>No authentication.</summary>
    None,
    /// <summary><c>Authorization: Bearer {secret}</c>.</summary>
    Bearer,
    /// <summary><c>Authorization: Basic base64({secret})</c>; the secret is <c>user:password</c>.</summary>
    Basic,
    /// <summary>The secret in a header (<c>auth-header</c>, default <c>X-Api-Key</c>).</summary>
    ApiKey,
}

/// <summary>The <c>kind: http</c> keys of a connector: auth, default headers and operations.</summary>
internal sealed class HttpConnectorSettings : IConnectorSettings
{
    public HttpAuthScheme Auth { get; init; }

    public string AuthHeader { get; init; } = "X-Api-Key";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public required IReadOnlyDictionary<string, HttpOperation> OperationsByName { get; init; }

    public IReadOnlyCollection<string> Operations => (IReadOnlyCollection<string>)OperationsByName.Keys;
}
