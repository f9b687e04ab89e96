using System.Text.Json;

namespace Millrace.Hub.Connectors.Http;

/// <summary>What an HTTP connector does with a 409 Conflict.</summary>
public enum ConflictHandling
{
    /// <summary>Retryable: a concurrent modification another attempt may get past (default).</summary>
    Retry,

    /// <summary>Succeeded with <c>Replayed = true</c>: the target says the document exists already (APIs that answer a duplicate create with 409).</summary>
    Success,

    /// <summary>Permanent.</summary>
    Fail,
}

/// <summary>One compiled operation of a <c>kind: http</c> connector.</summary>
internal sealed class HttpOperation
{
    public required string Name { get; init; }

    public required HttpMethod Method { get; init; }

    public required PathTemplate Path { get; init; }

    /// <summary>Query parameters: name and value expression; a parameter whose value is missing is left out.</summary>
    public IReadOnlyList<(string Name, Func<JsonElement, object?> Value)> Query { get; init; } = [];

    /// <summary>The body template, or null to send the input as it is (when the method has a body).</summary>
    public JsonTemplate? Body { get; init; }

    /// <summary>Whether the method sends a body at all (POST, PUT, PATCH).</summary>
    public bool SendsBody => Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Patch;

    /// <summary>The document id, read from the response (<c>response.confirmation</c>); null: no id.</summary>
    public Func<JsonElement, object?>? Document { get; init; }

    public string? DocumentText { get; init; }

    /// <summary>The output, read from the response; null: the whole response body.</summary>
    public Func<JsonElement, object?>? Output { get; init; }

    public ConflictHandling Conflict { get; init; }
}
