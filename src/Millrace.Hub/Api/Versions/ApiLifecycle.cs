using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Millrace.Hub.Api.Versions;

/// <summary>Where an API version is in its life.</summary>
public enum ApiLifecycleState
{
    /// <summary>Served, recommended.</summary>
    Active,

    /// <summary>Served with <c>Deprecation</c>, <c>Sunset</c> and a successor link.</summary>
    Deprecated,

    /// <summary>Answered <c>410 Gone</c>.</summary>
    Retired,
}

/// <summary>The lifecycle of one API version, with the dates its deprecation headers announce.</summary>
/// <param name="State">Active, deprecated or retired.</param>
/// <param name="DeprecatedAt">When it was (or will be) deprecated: the RFC 9745 <c>Deprecation</c> date.</param>
/// <param name="SunsetAt">When it stops answering: the RFC 8594 <c>Sunset</c> date.</param>
/// <param name="Successor">Path of the version that replaces it (<c>Link: &lt;…&gt;; rel="successor-version"</c>).</param>
public sealed record ApiLifecycle(ApiLifecycleState State, DateTimeOffset? DeprecatedAt = null, DateTimeOffset? SunsetAt = null, string? Successor = null)
{
    /// <summary>An active version.</summary>
    public static readonly ApiLifecycle Active = new(ApiLifecycleState.Active);

    /// <summary>
    /// Adds the deprecation headers of a deprecated version: <c>Deprecation: @unix-seconds</c> (an RFC 9651 Date
    /// structured field, as RFC 9745 requires), <c>Sunset</c> as an IMF-fixdate (RFC 8594) and the successor link.
    /// </summary>
    public void WriteHeaders(HttpResponse response)
    {
        if (State != ApiLifecycleState.Deprecated) return;
        if (DeprecatedAt is { } d) response.Headers["Deprecation"] = "@" + d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        if (SunsetAt is { } s) response.Headers["Sunset"] = s.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        if (Successor is not null) response.Headers.Append("Link", $"<{Successor}>; rel=\"successor-version\"");
    }
}

/// <summary>One capability API version in the catalogue: who owns it, what it promises, where it is in its life.</summary>
/// <param name="Id">Catalogue id and version: <c>asn/v1</c>.</param>
/// <param name="Title">What it does, for people.</param>
/// <param name="Layer">System, process or experience API.</param>
/// <param name="Owner">The owning team.</param>
/// <param name="Sla">The service level it promises.</param>
/// <param name="Lifecycle">Its lifecycle (the <c>apis:</c> section may override it).</param>
public sealed record ApiDescriptor(string Id, string Title, string Layer, string Owner, string Sla, ApiLifecycle Lifecycle)
{
    /// <summary>The version part of <see cref="Id"/> (<c>v1</c>).</summary>
    public string Version => Id[(Id.IndexOf('/') + 1)..];
}
