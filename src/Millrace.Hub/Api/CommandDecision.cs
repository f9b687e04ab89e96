using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api;

/// <summary>
/// What a capability API makes of a well-formed command body before it becomes an event: go ahead (with the event's
/// <c>subject</c> and <c>plant</c>), refuse it as outside the caller's plants or suppliers (403), or refuse it for
/// API-level rules beyond the event schema (400, every violation by pointer).
/// </summary>
public sealed record CommandDecision
{
    /// <summary>The CloudEvent <c>subject</c> (the order, ASN, adjustment id).</summary>
    public string? Subject { get; init; }

    /// <summary>The CloudEvent <c>plant</c> extension.</summary>
    public string? Plant { get; init; }

    /// <summary>Why the caller may not do this (403), or null.</summary>
    public string? Forbidden { get; init; }

    /// <summary>API-level violations (400), empty when none.</summary>
    public IReadOnlyList<ProblemError> Violations { get; init; } = [];

    /// <summary>Go ahead.</summary>
    public static CommandDecision Proceed(string? subject, string? plant) => new() { Subject = subject, Plant = plant };

    /// <summary>Outside the caller's scope.</summary>
    public static CommandDecision Deny(string why) => new() { Forbidden = why };

    /// <summary>Breaks rules of the API version.</summary>
    public static CommandDecision Invalid(IReadOnlyList<ProblemError> violations) => new() { Violations = violations };
}

/// <summary>One command API: its catalogue entry, the scope it needs, the event type it appends, and its decision.</summary>
/// <param name="ApiId">Catalogue id (<c>asn/v2</c>).</param>
/// <param name="Scope">Scope required (<c>asn:write</c>).</param>
/// <param name="EventType">The CloudEvent type appended (a registry subject).</param>
/// <param name="Decide">Authorisation and API-level rules on the parsed body.</param>
public sealed record CommandSpec(string ApiId, string Scope, string EventType,
    Func<Microsoft.AspNetCore.Http.HttpContext, Identity.ApiCaller, System.Text.Json.JsonElement, CommandDecision> Decide);
