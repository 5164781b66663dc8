namespace StarSync.Ingress.Admin;

/// <summary>Routes of the admin API (all behind the admin token) and of the status page (no token, no data).</summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(AdminAuthenticationMiddleware.PathPrefix)
            .WithMetadata(AdminEndpointMetadata.Instance)
            .WithTags("Admin");
        // Route and query values are bound as strings and parsed by the handlers, so that a bad value gets a
        // problem body naming the parameter rather than the framework's bare 400.
        admin.MapGet("/mirrors", static (HttpContext http, AdminApi api) => api.ListAsync(http))
            .WithName("AdminListMirrors");
        admin.MapGet("/mirrors/{githubId}", static (HttpContext http, string githubId, AdminApi api) => api.StatusAsync(http, githubId))
            .WithName("AdminMirrorStatus");
        admin.MapPost("/mirrors/{githubId}/sync", static (HttpContext http, string githubId, AdminApi api) => api.SyncAsync(http, githubId))
            .WithName("AdminSyncMirror");
        admin.MapPut("/mirrors/{githubId}/interval",
                static (HttpContext http, string githubId, AdminApi api) => api.SetIntervalAsync(http, githubId))
            .WithName("AdminSetMirrorInterval");
        admin.MapPut("/mirrors/{githubId}/build-spec-policy",
                static (HttpContext http, string githubId, AdminApi api) => api.SetBuildSpecPolicyAsync(http, githubId))
            .WithName("AdminSetMirrorBuildSpecPolicy");
        admin.MapPost("/mirrors/retry-failed", static (HttpContext http, AdminApi api) => api.RetryFailedAsync(http))
            .WithName("AdminRetryFailedMirrors");
        admin.MapPost("/stars/backfill", static (HttpContext http, AdminApi api) => api.BackfillAsync(http))
            .WithName("AdminStarBackfill");
        return endpoints;
    }

    public static IEndpointRouteBuilder MapStatusPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(StatusPage.Route, static (HttpContext http) => StatusPage.Serve(http))
            .WithName("StatusPage");
        return endpoints;
    }
}
