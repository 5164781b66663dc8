using Microsoft.Extensions.Options;

namespace StarSync.Ingress.Admin;

/// <summary>
/// Guards the admin API after routing and before any parameter binding: an endpoint marked with
/// <see cref="AdminEndpointMetadata"/>, and any other path under <c>/admin</c> (so that unknown admin routes reveal
/// nothing either), needs the admin token. Missing, malformed and wrong tokens and a disabled admin API all get the
/// same fixed 401 body; only the log says which it was.
/// </summary>
internal sealed class AdminAuthenticationMiddleware(
    RequestDelegate next,
    IOptions<IngressOptions> options,
    ILogger<AdminAuthenticationMiddleware> logger)
{
    public const string PathPrefix = "/admin";

    /// <summary>The whole 401 body, byte for byte the same for every refusal (no trace id, no hint).</summary>
    public const string UnauthorizedBody =
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"The admin API requires a valid admin token."}""";

    private static readonly byte[] UnauthorizedBytes = System.Text.Encoding.UTF8.GetBytes(UnauthorizedBody);

    public Task InvokeAsync(HttpContext http)
    {
        var guarded = http.GetEndpoint()?.Metadata.GetMetadata<AdminEndpointMetadata>() is not null
            || http.Request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);
        if (!guarded)
        {
            return next(http);
        }
        var result = AdminToken.Verify(http.Request.Headers.Authorization, options.Value.EffectiveAdminToken);
        if (result == AdminTokenResult.Valid)
        {
            return next(http);
        }
        logger.AdminRequestRejected(http.Request.Method, result);
        return RejectAsync(http);
    }

    private static Task RejectAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.ContentType = "application/problem+json";
        response.ContentLength = UnauthorizedBytes.Length;
        response.Headers.WWWAuthenticate = AdminToken.Scheme;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(UnauthorizedBytes, http.RequestAborted).AsTask();
    }
}
