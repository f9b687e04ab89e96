using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Millrace.Hub.Hosting;

namespace Millrace.Hub.Api;

/// <summary>RFC 9457 problem details of the capability APIs (<c>application/problem+json</c>).</summary>
internal static class ApiProblems
{
    public const string Base = "https://millrace.dev/problems/api/";

    public static Task WriteAsync(HttpContext http, int status, string slug, string title, string detail, IReadOnlyList<ProblemError>? errors = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        var body = new ProblemBody(Base + slug, title, status, detail, http.Request.Path, errors, Activity.Current?.TraceId.ToString());
        return JsonSerializer.SerializeAsync(http.Response.Body, body, ApiJsonContext.Http.ProblemBody, http.RequestAborted);
    }

    public static Task ForbiddenAsync(HttpContext http, string detail) => WriteAsync(http, 403, "forbidden", "Forbidden", detail);

    public static Task JsonAsync<T>(HttpContext http, int status, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, value, type, http.RequestAborted);
    }
}
