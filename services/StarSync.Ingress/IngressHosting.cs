namespace StarSync.Ingress;

internal static class IngressHosting
{
    public static IHostApplicationBuilder AddIngress(this IHostApplicationBuilder builder)
    {
        return builder;
    }
}
