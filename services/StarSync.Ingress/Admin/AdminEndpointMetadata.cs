namespace StarSync.Ingress.Admin;

/// <summary>Marks an endpoint that only a caller with the admin token may reach (see <see cref="AdminAuthenticationMiddleware"/>).</summary>
internal sealed class AdminEndpointMetadata
{
    public static readonly AdminEndpointMetadata Instance = new();

    private AdminEndpointMetadata()
    {
    }
}
